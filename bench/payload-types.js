// `hook-catch types` over a store of 10,000 captures of 20 event types (~1 KB JSON webhooks each,
// with fields some deliveries lack, a field that is sometimes null, status words, dates and URLs):
// the real CLI, start to exit, writing each language to a file. The store is filled beforehand,
// each capture with the event type the receiver would have told.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIdGenerator } from '../dist/capture/ids.js';
import { RequestLog } from '../dist/index.js';
import { isInvalidJson } from '../dist/receiver/json-check.js';
import { webhookPayload } from './payload.js';
import { pinnedCommand, SERVER_CPU } from './pin.js';
import { fakeRequest } from './prefill.js';

const here = dirname(fileURLToPath(import.meta.url));
const CAPTURES = 10_000;
const EVENT_TYPES = 20;
const LANGS = ['ts', 'zod', 'json-schema'];

export const TYPES_SCENARIO = { key: 'types-10k', name: 'hook-catch types, 10,000 captures of 20 event types', server: 'hook-catch', run: runTypes };

async function runTypes(s, { log, tempDirs }) {
  const row = { key: s.key, name: s.name, server: s.server, captures: CAPTURES, eventTypes: EVENT_TYPES };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  tempDirs.add(dir);
  try {
    row.storeMb = (await fill(dir)) / 1e6;
    log(
      `  ${CAPTURES.toLocaleString('en-US')} captures of ${EVENT_TYPES} event types stored (${row.storeMb.toFixed(1)} MB of bodies); types in ${LANGS.join(', ')}`,
    );
    row.seconds = {};
    for (const lang of LANGS) {
      const t0 = performance.now();
      const stderr = await types(dir, lang, join(dir, `types.${lang}`));
      row.seconds[lang] = (performance.now() - t0) / 1000;
      row.summary ??= stderr.trim().split(': ').slice(0, 2).join(': ');
    }
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
  return row;
}

/** Fills the store; resolves with the bytes of bodies stored. */
async function fill(dir) {
  const { log } = await RequestLog.open(dir, { maxRequests: CAPTURES, fsync: false });
  const nextId = createIdGenerator();
  let bytes = 0;
  for (let n = 0; n < CAPTURES; n += 1000) {
    const appends = [];
    for (let i = n; i < n + 1000; i++) {
      const body = Buffer.from(delivery(i));
      bytes += body.length;
      const request = fakeRequest(nextId(), i, body);
      request.event = { type: eventType(i), from: 'body.type' };
      if (isInvalidJson(request)) request.invalidJson = true;
      appends.push(log.append(request));
    }
    await Promise.all(appends);
  }
  await log.close();
  return bytes;
}

const KINDS = ['job', 'invoice', 'order', 'payment', 'video'];
const ACTIONS = ['created', 'updated', 'completed', 'failed'];
const eventType = (n) => `${KINDS[n % 5]}.${ACTIONS[Math.floor(n / 5) % 4]}`;

/** Delivery `n`: the bench's ~1 KB webhook, its type the event type, some fields missing or null. */
function delivery(n) {
  const payload = JSON.parse(webhookPayload(n, { status: ['succeeded', 'running', 'queued'][n % 3] }));
  payload.type = eventType(n);
  if (n % 7 === 0) delete payload.metadata;
  if (n % 11 === 0) payload.result.pages = null;
  if (n % 13 === 0) payload.result.items.push({ name: 'extra.bin', sizeBytes: 1, checksum: 'sha256:0', note: 'late' });
  return JSON.stringify(payload);
}

/** The real CLI, pinned like a server; resolves with what it printed on stderr. */
function types(dir, lang, out) {
  const [command, args] = pinnedCommand(SERVER_CPU, join(here, '..', 'bin', 'hook-catch.js'), ['types', '--dir', dir, '--lang', lang, '--out', out]);
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 120_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`types --lang ${lang}: ${stderr || error.message}`)) : resolve(stderr),
    );
  });
}

export function typesLines(row) {
  if (row.error) return [`- ${row.name}: FAILED: ${row.error}`];
  const each = LANGS.map((lang) => `--lang ${lang} ${row.seconds[lang].toFixed(2)} s`).join(', ');
  return [
    `- ${row.name} (~1 KB JSON bodies, ${row.storeMb.toFixed(1)} MB in all; the CLI from start to exit, the file written): ${each} ` +
      `(target < 5 s: ${Math.max(...Object.values(row.seconds)) < 5 ? 'met' : 'MISSED'}); it said "${row.summary}"`,
  ];
}
