// The normal senders of the kill -9 rounds and the full disk: webhooks with distinct, checkable
// bodies (JSON naming jobs, gzip'd JSON, binary, text, empty, large), each remembered by the sha-1
// of its bytes, so that what the store holds can be compared byte for byte.
import { gzipSync } from 'node:zlib';
import { answeredId, send } from './http.js';
import { rngFor, sha1 } from './rng.js';

const STATUS_WORDS = ['running', 'InProgress', 'queued', 'completed', 'Succeeded', 'failed'];

/**
 * Request `seq` of sender `conn` in `part`: method, path, headers, body and, when its body names
 * one, the job id. `jobId(rng)` picks the job a delivery names.
 */
export function webhook(seed, part, conn, seq, { jobId, maxBinary = 4096, large = true } = {}) {
  const rng = rngFor(seed, part, conn, seq);
  const kind = rng.weighted([
    [40, 'job-json'],
    [10, 'job-gzip'],
    [20, 'binary'],
    [10, 'text'],
    [5, 'empty'],
    [10, 'json'],
    [large ? 5 : 0, 'large-binary'],
  ]);
  const method = rng.weighted([
    [80, 'POST'],
    [10, 'PUT'],
    [5, 'PATCH'],
    [5, 'DELETE'],
  ]);
  const path = `/${part}/${conn}/${seq}`;
  const url = rng.chance(0.2) ? `${path}?attempt=${rng.int(1, 9)}&q=${rng.text(8)}` : path;
  const headers = { 'X-Sender': `${conn}` };
  let body;
  let job = null;
  const pad = () => rng.text(rng.int(20, 1200), 'abcdefghijklmnopqrstuvwxyz äöüß€中文🙂"\\/');
  switch (kind) {
    case 'job-json':
    case 'job-gzip': {
      job = jobId(rng);
      const json = JSON.stringify({ jobId: job, status: rng.pick(STATUS_WORDS), event: `${part}-${conn}-${seq}`, note: pad() });
      headers['Content-Type'] = 'application/json';
      if (kind === 'job-gzip') headers['Content-Encoding'] = 'gzip';
      body = kind === 'job-gzip' ? gzipSync(json) : Buffer.from(json);
      break;
    }
    case 'binary':
      headers['Content-Type'] = 'application/octet-stream';
      body = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), rng.bytes(rng.int(1, maxBinary))]);
      break;
    case 'large-binary':
      headers['Content-Type'] = 'application/octet-stream';
      body = Buffer.concat([Buffer.from([0x00]), rng.bytes(rng.int(64_000, 256_000))]);
      break;
    case 'text':
      headers['Content-Type'] = 'text/plain; charset=utf-8';
      body = Buffer.from(`${part} ${conn} ${seq} ${pad()}`);
      break;
    case 'empty':
      body = Buffer.alloc(0);
      break;
    default:
      headers['Content-Type'] = 'application/json';
      body = Buffer.from(
        JSON.stringify({
          event: `${part}-${conn}-${seq}`,
          items: Array.from({ length: rng.int(5, 200) }, () => rng.text(rng.int(5, 60), 'abcdefghij äö€🙂"')),
        }),
      );
  }
  return { kind, method, url, path, headers, body, job };
}

/**
 * `connections` senders, each sending one webhook after another to `receiverUrl` until `stop()` says
 * so. Every 2xx is recorded in `acked` (`{id, kind, method, url, bodySha1, bodySize, job}`); other
 * answers and errors are counted. Resolves once every sender has stopped.
 */
export async function runSenders({ receiverUrl, agent, seed, part, connections = 32, stop, jobId, acked, counts, options = {}, onAnswer }) {
  const sender = async (conn) => {
    for (let seq = 0; !stop(); seq++) {
      const w = webhook(seed, part, conn, seq, { jobId, ...options });
      const reply = await send(`${receiverUrl}${w.url}`, { method: w.method, headers: w.headers, body: w.body, agent, timeoutMs: 30_000 });
      counts.sent++;
      if (reply.error) counts.errors++;
      else if (reply.status >= 200 && reply.status < 300) {
        const id = answeredId(reply);
        if (!id) counts.noId++;
        else acked.push({ id, kind: w.kind, method: w.method, url: w.url, bodySha1: sha1(w.body), bodySize: w.body.length, job: w.job });
      } else {
        counts[reply.status] = (counts[reply.status] ?? 0) + 1;
      }
      onAnswer?.(reply, w);
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, conn) => sender(conn)));
}
