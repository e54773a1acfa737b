// Plain node:http requests from the runner, timed at full precision (performance.now()), and an
// open-loop sender at a fixed rate. For the rows that time single requests (bench/wait-latency.js).
import { request as httpRequest } from 'node:http';

/**
 * One request to 127.0.0.1:`port`. Resolves with its status, headers, body, and when the answer's
 * head (`headAt`) and its last byte (`endAt`) arrived; rejects on an error or after `timeoutMs`.
 * `onSent` is called once the request is written out.
 */
export function send({ agent, port, method = 'GET', path, body, headers = {}, timeoutMs = 15_000, onSent }) {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const withBody = body === undefined ? headers : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers };
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: withBody }, (res) => {
      const headAt = performance.now();
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), sentAt, headAt, endAt: performance.now() });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)), timeoutMs);
    function fail(error) {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    if (onSent) req.on('finish', onSent);
    req.end(body);
  });
}

/** The answer's body as JSON (null when it is not). */
export function json(answer) {
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * Open loop: request i is due at start + i / rate, whatever the answers before it did, with at most
 * `maxInFlight` unanswered (then it goes as soon as one is answered). `sendOne(i)` sends request i
 * and returns its promise. Resolves, once all are settled, with each one's result (or {error}), how
 * late the latest one went out, how long sending took (`sendSpanMs`) and all of it (`seconds`).
 */
export function sendPaced({ count, ratePerSec, maxInFlight, sendOne }) {
  const interval = 1000 / ratePerSec;
  const results = new Array(count);
  const sends = [];
  let next = 0;
  let inFlight = 0;
  let maxLateMs = 0;
  let timer = null;
  const t0 = performance.now();
  let lastSentAt = t0;
  return new Promise((resolve) => {
    const pump = () => {
      clearTimeout(timer);
      timer = null;
      const now = performance.now();
      while (next < count && inFlight < maxInFlight && t0 + next * interval <= now) {
        const i = next++;
        inFlight++;
        maxLateMs = Math.max(maxLateMs, now - (t0 + i * interval));
        lastSentAt = now;
        sends.push(
          sendOne(i)
            .then(
              (r) => (results[i] = r),
              (error) => (results[i] = { error: error.message }),
            )
            .finally(() => {
              inFlight--;
              if (next < count) pump();
            }),
        );
      }
      if (next < count && inFlight < maxInFlight) timer = setTimeout(pump, Math.max(0, t0 + next * interval - performance.now()));
      else if (next >= count)
        Promise.all(sends).then(() => resolve({ results, maxLateMs, sendSpanMs: lastSentAt - t0, seconds: (performance.now() - t0) / 1000 }));
    };
    pump();
  });
}

/** Runs `work(i)` for i in 0..count-1, at most `limit` at a time; resolves with the results in order. */
export async function pool(count, limit, work) {
  const out = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return out;
}
