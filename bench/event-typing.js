// What telling a capture's event type costs on the receiver's hot path (the plain rows run with it
// on, as every hook-catch does): the event typer of dist/, timed in this process on captures shaped
// as the receiver makes them (raw headers in order, the body already parsed as the receiver's JSON
// check leaves it), one kind of delivery at a time: the bench's own 1 KB job webhook (a body `type`
// field), GitHub (a header and the body's action), Stripe (a signature header and the body's type),
// a job webhook told by its status word, and a body that names no event (every rule tried, none found).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { webhookPayload } from './payload.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 200_000;
const BATCHES = 9;
const dist = (path) => import(pathToFileURL(join(here, '..', 'dist', path)).href);

export const EVENT_TYPING_SCENARIO = { key: 'event-typing', name: 'event typing per request (hot path)', server: 'hook-catch', run: runEventTyping };

const BASE_HEADERS = [
  ['Host', 'hooks.example.com'],
  ['User-Agent', 'Provider-Webhooks/1.0'],
  ['Content-Type', 'application/json'],
  ['Accept', '*/*'],
  ['Accept-Encoding', 'gzip'],
  ['X-Request-Id', '7f3a9c2e-1b2c-4d5e-8f90-0a1b2c3d4e5f'],
  ['Connection', 'keep-alive'],
];

function kinds() {
  const github = {
    action: 'completed',
    check_run: { id: 4, name: 'ci', status: 'completed' },
    repository: { full_name: 'acme/app' },
    sender: { login: 'octocat' },
  };
  const stripe = { id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 1200, currency: 'usd' } } };
  const seed = { jobId: '28d84ce1-109d-49a9-8e60-7d1fc5ebb9a6', creationTime: '2026-12-05T10:00:00Z', status: 'Success', result: { text: 'hello' } };
  const none = { id: 'x1', name: 'report', items: [{ sku: 'a', qty: 1 }], total: 12, currency: 'eur', customer: { id: 'c1', email: 'a@example.com' } };
  return [
    ['the bench payload (body.type)', BASE_HEADERS, JSON.parse(webhookPayload(1))],
    [
      'GitHub (X-GitHub-Event + body.action)',
      [...BASE_HEADERS, ['X-GitHub-Event', 'check_run'], ['X-GitHub-Delivery', '1'], ['X-Hub-Signature-256', 'sha256=0']],
      github,
    ],
    ['Stripe (Stripe-Signature + body.type)', [...BASE_HEADERS, ['Stripe-Signature', 't=1,v1=0']], stripe],
    ['a job webhook (status word)', BASE_HEADERS, seed],
    ['a body that names no event', BASE_HEADERS, none],
  ];
}

async function runEventTyping(s, { log }) {
  const row = { key: s.key, name: s.name, server: s.server, kinds: [] };
  try {
    const { createEventTyper } = await dist('event-types/event-type.js');
    const { rememberJson } = await dist('capture/parsed-json.js');
    const typeOf = createEventTyper();
    for (const [name, headers, value] of kinds()) {
      const body = Buffer.from(JSON.stringify(value));
      rememberJson(body, value);
      const request = {
        id: '0',
        method: 'POST',
        url: '/webhook',
        path: '/webhook',
        query: [],
        headers,
        contentType: 'application/json',
        body,
        bodySize: body.length,
        bodyDiscarded: false,
        response: { status: 200 },
      };
      let found = null;
      for (let i = 0; i < 20_000; i++) found = typeOf(request); // warm-up: the optimized code is what runs under load
      // The median of several batches: a batch that shared its CPU with another process says little.
      const batches = [];
      for (let b = 0; b < BATCHES; b++) {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < ROUNDS / BATCHES; i++) found = typeOf(request);
        batches.push(Number(process.hrtime.bigint() - t0) / (ROUNDS / BATCHES));
      }
      const ns = batches.sort((a, b) => a - b)[Math.floor(BATCHES / 2)];
      row.kinds.push({ name, ns, type: found?.type ?? null, bytes: body.length });
      log(`  ${name}: ${(ns / 1000).toFixed(2)} µs (${found ? found.type : 'no event type'})`);
    }
    row.maxUs = Math.max(...row.kinds.map((k) => k.ns)) / 1000;
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  }
  return row;
}

export function eventTypingLines(row) {
  if (row.error) return ['', `Event typing: FAILED: ${row.error}`];
  return [
    '',
    `Event typing on the hot path (every hook-catch row above runs with it on), per request, the median of ${BATCHES} batches of ${(ROUNDS / BATCHES).toLocaleString('en-US', { maximumFractionDigits: 0 })} after a warm-up:`,
    ...row.kinds.map((k) => `- ${k.name}, ${k.bytes} B: ${(k.ns / 1000).toFixed(2)} µs${k.type ? ` → ${k.type}` : ''}`),
  ];
}
