import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { describe } from '../errors.js';
import { formatDuration } from '../units.js';
import type { Outgoing } from './outgoing.js';
import type { SendFailure, SendResult } from '../capture/records.js';

export interface SendOptions {
  /** The whole exchange (connect, send, answer) must end within this. */
  timeoutMs: number;
  /** Answer bytes kept; the rest is counted, not kept (`truncated`). */
  keepBytes: number;
  /** A keep-alive agent (forward); default: a connection of its own, closed after the answer. */
  agent?: Agent;
  /** Accept a target's TLS certificate that does not verify (a local app's self-signed one). */
  insecure?: boolean;
  /** The flag that raises `timeoutMs`, named when it runs out (each command has its own: `--forward-timeout` …). */
  timeoutFlag?: string;
}

/**
 * Sends `out` exactly: the headers in their order and case, the body bytes as they are. Never
 * throws: a target that cannot be reached is a result saying why in plain words.
 */
export function send(out: Outgoing, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ok: false, ...explain(error, out.url, options.timeoutMs, options.timeoutFlag), latencyMs: elapsed() });
    };
    const https = out.url.protocol === 'https:';
    const req = (https ? httpsRequest : httpRequest)(out.url, {
      method: out.method,
      headers: out.headers.flat(),
      setHost: false,
      agent: options.agent ?? false,
      ...(https && options.insecure ? { rejectUnauthorized: false } : {}),
    });
    const timer = setTimeout(() => fail(new TimedOut()), options.timeoutMs);
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const kept: Buffer[] = [];
      let size = 0;
      let keptSize = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (keptSize >= options.keepBytes) return;
        const part = chunk.subarray(0, options.keepBytes - keptSize);
        kept.push(part);
        keptSize += part.length;
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve({
          ok: true,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers,
          body: Buffer.concat(kept, keptSize),
          bodySize: size,
          truncated: size > keptSize,
          latencyMs: elapsed(),
        });
      });
    });
    req.end(out.body);
  });
}

class TimedOut extends Error {}

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|EPROTO|HOSTNAME_MISMATCH)/;

/** A failure in plain words, naming the target and what to try. */
export function explain(error: unknown, url: URL, timeoutMs: number, timeoutFlag?: string): { failure: SendFailure; error: string } {
  const where = url.origin;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (error instanceof TimedOut) {
    const raise = timeoutFlag ? ` (raise it with ${timeoutFlag})` : '';
    return { failure: 'timeout', error: `${where} did not answer within ${formatDuration(timeoutMs)}${raise}.` };
  }
  if (code === 'ECONNREFUSED') {
    return { failure: 'refused', error: `${where} refused the connection: is your app listening on port ${portOf(url)}?` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { failure: 'dns', error: `Cannot find the host ${url.hostname} (${code}): check the URL.` };
  }
  if (TLS_CODE.test(code) || /certificate|ssl|tls/i.test((error as Error).message ?? '')) {
    return { failure: 'tls', error: `TLS failed with ${where}: ${tlsReason(error)}` };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/.test((error as Error).message ?? '')) {
    return { failure: 'reset', error: `${where} closed the connection before answering (${code || 'socket hang up'}).` };
  }
  return { failure: 'other', error: `Sending to ${where} failed: ${describe(error)}.` };
}

/** OpenSSL's reason without its internals (`wrong version number`), and what to try. */
function tlsReason(error: unknown): string {
  const text = describe(error).replace(/\s+/g, ' ');
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(text)?.[1] ?? text;
  if (/wrong version number|packet length too long|unknown protocol/.test(reason)) return `${reason}: it does not speak TLS on that port (is it http://?).`;
  return `${reason} (a self-signed certificate? --insecure accepts it).`;
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}
