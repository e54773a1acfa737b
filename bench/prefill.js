// Fills a store folder with N captured ~1 KB webhook requests, as if hook-catch had received them.
// Usage: node bench/prefill.js <dir> <count> [maxRequests]   (prints one JSON line when done)
import { pathToFileURL } from 'node:url';
import { RequestLog } from '../dist/index.js';
import { createIdGenerator } from '../dist/capture/ids.js';
import { isInvalidJson } from '../dist/receiver/json-check.js';
import { webhookPayload } from './payload.js';

const BATCH = 1000;

export async function prefill(dir, count, maxRequests = 100_000) {
  const t0 = performance.now();
  const { log } = await RequestLog.open(dir, { maxRequests, fsync: false });
  const nextId = createIdGenerator();
  for (let done = 0; done < count; ) {
    const appends = [];
    for (const end = Math.min(done + BATCH, count); done < end; done++) {
      const request = fakeRequest(nextId(), done);
      // As the receiver does: the JSON check, which lets the log write the body as it came (bodyJson).
      if (isInvalidJson(request)) request.invalidJson = true;
      appends.push(log.append(request));
    }
    await Promise.all(appends);
  }
  const stored = log.count;
  await log.close();
  return { stored, ms: performance.now() - t0 };
}

/** A stored request as the receiver makes one, of delivery `n` (or with `body`). */
export function fakeRequest(id, n, body = Buffer.from(webhookPayload(n))) {
  return {
    id,
    receivedAt: new Date().toISOString(),
    method: 'POST',
    url: '/webhook',
    path: '/webhook',
    query: [],
    httpVersion: '1.1',
    headers: [
      ['host', '127.0.0.1:8080'],
      ['user-agent', 'example-jobs-webhooks/2.4'],
      ['content-type', 'application/json'],
      ['content-length', String(body.length)],
      ['x-webhook-signature', `t=1735689600,v1=${id}`],
    ],
    remoteAddress: '127.0.0.1',
    contentType: 'application/json',
    bodySize: body.length,
    bodyDiscarded: false,
    response: { status: 200 },
    body,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, count, max] = process.argv.slice(2);
  if (!dir || !count) {
    console.error('usage: node bench/prefill.js <dir> <count> [maxRequests]');
    process.exit(2);
  }
  const result = await prefill(dir, Number(count), max ? Number(max) : undefined);
  process.stdout.write(JSON.stringify(result) + '\n');
}
