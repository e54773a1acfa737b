// HTTP for the reliability run: node:http requests over kept-alive connections (the normal senders),
// and raw exchanges over plain sockets with a small response reader (the hostile ones).
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export function keepAliveAgent(maxSockets = 32) {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * One request; resolves with `{status, headers, body}`, or `{error}` when no answer came (a reset,
 * a refused connection, a timeout). Never rejects.
 */
export function send(url, { method = 'POST', headers = {}, body, agent, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const h = { ...headers };
    if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'transfer-encoding')) h['Content-Length'] = String(body.length);
    const req = httpRequest(url, { method, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error) => done({ error: error.code ?? error.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error) => done({ error: error.code ?? error.message }));
    req.end(body);
  });
}

/** GET or POST JSON through the inspector API; resolves with `{status, json}` (json null when none). */
export async function api(url, { method = 'GET', json, agent, timeoutMs = 60_000 } = {}) {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const reply = await send(url, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body, agent, timeoutMs });
  if (reply.error) return { status: 0, error: reply.error, json: null };
  let value = null;
  try {
    value = JSON.parse(reply.body.toString('utf8'));
  } catch {
    // not JSON
  }
  return { status: reply.status, json: value };
}

/** The id hook-catch gave an answer: its X-Hook-Catch-Id header, else the `id` of its JSON body. */
export function answeredId(reply) {
  const header = reply.headers?.['x-hook-catch-id'];
  if (typeof header === 'string' && header) return header;
  try {
    const id = JSON.parse(reply.body.toString('utf8')).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/**
 * Reads HTTP/1.1 responses from bytes as they come: each complete one (100 Continue skipped) is
 * given to `onResponse({status, headers, body})`. `bodyless()` says whether the next response has
 * no body whatever its Content-Length (the answer to a HEAD).
 */
export class ResponseReader {
  constructor(onResponse, bodyless = () => false) {
    this.buffer = Buffer.alloc(0);
    this.onResponse = onResponse;
    this.bodyless = bodyless;
  }

  push(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const lines = this.buffer.toString('latin1', 0, headEnd).split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1]);
      const headers = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      if (status === 100) {
        this.buffer = this.buffer.subarray(headEnd + 4);
        continue;
      }
      const length = this.bodyless() ? 0 : Number(headers['content-length'] ?? 0);
      if (this.buffer.length < headEnd + 4 + length) return;
      const body = this.buffer.subarray(headEnd + 4, headEnd + 4 + length);
      this.buffer = this.buffer.subarray(headEnd + 4 + length);
      this.onResponse({ status: Number.isFinite(status) ? status : null, headers, body });
    }
  }
}

/** Connects to 127.0.0.1:port; resolves with the socket once connected, or rejects. */
export function rawConnect(port) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
