import { randomBytes, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { Client } from './app.js';
import { credential } from './common.js';
import type { SeedJob, Shape } from './provider.js';

// Seed 003, an async task API: `POST /v1/tasks` with `{..., "webhook": {"url"}, "idempotencyKey"}`
// answers 202 `{"taskId"}` (the same key again, the same task); `GET /v1/tasks/{taskId}` says queued
// or running, then completed with the result or failed. The webhook is retried on anything but a 2xx,
// 5 attempts in all (2, 4, 8, 16 minutes apart for real; 50 to 400 ms here). The seed leaves
// signing and credentials unsaid: Stripe's scheme and an `x-api-key` header here.

const stripe = new Stripe('sk_test_hook_catch_never_called');
const word = (job: SeedJob) => (job.outcome === 'success' ? 'completed' : job.outcome === 'failure' ? 'failed' : 'running');
const outcome = (job: SeedJob) =>
  job.outcome === 'success'
    ? { result: { summary: 'Hi! Hello, this is Susan.', tokens: 6 } }
    : job.outcome === 'failure'
      ? { error: { code: 'task_failed', message: 'The task could not be processed.' } }
      : {};
const task = (job: SeedJob) => ({
  taskId: job.id,
  idempotencyKey: job.idempotencyKey ?? null,
  status: word(job),
  createdAt: job.createdAt.toISOString(),
  ...outcome(job),
});
const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

export const tasksProvider: Shape = {
  seed: 'tasks',
  backoffMs: [50, 100, 200, 400],
  answer(request, api) {
    const poll = /^\/v1\/tasks\/([^/]+)$/.exec(request.path);
    if (!(poll && request.method === 'GET') && !(request.path === '/v1/tasks' && request.method === 'POST')) return undefined;
    if (request.header('x-api-key') !== api.apiKey) return error(401, 'unauthorized', 'Missing or unknown API key: send it in the x-api-key header.');
    if (poll) {
      const job = api.job(decodeURIComponent(poll[1]!));
      return job ? { status: 200, body: task(job) } : error(404, 'task_not_found', `No task ${poll[1]}.`);
    }
    const json = request.json;
    if (typeof json !== 'object' || json === null) return error(400, 'invalid_request', 'The body must be a JSON object.');
    const key = typeof json.idempotencyKey === 'string' ? json.idempotencyKey : undefined;
    const same = key === undefined ? undefined : [...api.jobs()].find((job) => job.idempotencyKey === key);
    if (same) return { status: 202, body: { taskId: same.id, idempotencyKey: key, status: word(same) } };
    const url = typeof json.webhook?.url === 'string' ? json.webhook.url : null;
    const job = api.open(`task_${randomBytes(8).toString('hex')}`, request, url, key === undefined ? {} : { idempotencyKey: key });
    return { status: 202, body: { taskId: job.id, idempotencyKey: key ?? null, status: 'queued' } };
  },
  webhook: (job) => ({ type: job.outcome === 'success' ? 'task.completed' : 'task.failed', ...task(job) }),
  sign: (body, _job, secret) => ({ 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret }) }),
};

export const tasksApp: Client = {
  seed: 'tasks',
  submit: (input, { webhookUrl, apiKey }) => ({
    method: 'POST',
    path: input.path ?? '/v1/tasks',
    headers: { ...credential('x-api-key', apiKey), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      input: { text: 'Summarise the call.' },
      ...input.json,
      webhook: { url: webhookUrl },
      // A real integration sends one, so that a retried submit does not start a second task.
      idempotencyKey: input.idempotencyKey ?? `order-${randomUUID()}`,
    }),
  }),
  jobIdOf: (answer) => answer?.taskId ?? null,
  poll: (id, apiKey) => ({ method: 'GET', path: `/v1/tasks/${encodeURIComponent(id)}`, headers: credential('x-api-key', apiKey) }),
  statusOf: (answer) => answer?.status ?? null,
  fromWebhook: (json) => ({ jobId: json?.taskId ?? null, status: json?.status ?? null }),
  verify: (body, headers, secret) => void stripe.webhooks.constructEvent(body, headers['stripe-signature'] ?? '', secret),
};
