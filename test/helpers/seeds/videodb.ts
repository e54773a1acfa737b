import { randomBytes } from 'node:crypto';
import type { Client } from './app.js';
import { credential } from './common.js';
import type { SeedJob, Shape } from './provider.js';

// Seed 001, VideoDB: an operation (`POST /video/{id}/transcription`, a JSON body with `callback_url`)
// answers at once with the async response's id; `GET /async-response/{response_id}` says
// processing, then done with `data` or failed. `x-access-token` on every call. The webhook to
// callback_url is the final status with the response id; it is not signed.

const word = (job: SeedJob) => (job.outcome === 'success' ? 'done' : job.outcome === 'failure' ? 'failed' : 'processing');
const final = (job: SeedJob) =>
  job.outcome === 'success'
    ? { success: true, status: 'done', data: { text: 'Hi! Hello, this is Susan.', language_code: 'en' } }
    : job.outcome === 'failure'
      ? { success: false, status: 'failed', message: 'Transcription failed: the video has no audio track.', error_code: 'PROCESSING_FAILED' }
      : { success: true, status: word(job) };
const error = (status: number, message: string, code: string) => ({ status, body: { success: false, message, error_code: code } });

export const videodbProvider: Shape = {
  seed: 'videodb',
  backoffMs: [],
  answer(request, api) {
    const poll = /^\/async-response\/([^/]+)$/.exec(request.path);
    if (!(poll ? request.method === 'GET' : request.method === 'POST')) return undefined;
    if (request.header('x-access-token') !== api.apiKey) return error(401, 'Missing or invalid x-access-token header.', 'UNAUTHORIZED');
    if (poll) {
      const job = api.job(decodeURIComponent(poll[1]!));
      return job ? { status: 200, body: final(job) } : error(404, `No async response ${poll[1]}.`, 'NOT_FOUND');
    }
    if (typeof request.json !== 'object' || request.json === null) return error(400, 'The body must be a JSON object.', 'INVALID_REQUEST');
    const id = `async-${randomBytes(8).toString('hex')}`;
    api.open(id, request, typeof request.json.callback_url === 'string' ? request.json.callback_url : null);
    return { status: 200, body: { success: true, status: 'processing', response_id: id, data: { output_url: `${api.url}/async-response/${id}` } } };
  },
  webhook: (job) => ({ response_id: job.id, ...final(job) }),
};

export const videodbApp: Client = {
  seed: 'videodb',
  submit: (input, { webhookUrl, apiKey }) => ({
    method: 'POST',
    path: input.path ?? '/video/m-5f2a9c/transcription',
    headers: { ...credential('x-access-token', apiKey), 'Content-Type': 'application/json' },
    body: JSON.stringify({ language_code: 'en', force: false, ...input.json, callback_url: webhookUrl }),
  }),
  jobIdOf: (answer) => answer?.response_id ?? null,
  poll: (id, apiKey) => ({ method: 'GET', path: `/async-response/${encodeURIComponent(id)}`, headers: credential('x-access-token', apiKey) }),
  statusOf: (answer) => answer?.status ?? null,
  fromWebhook: (json) => ({ jobId: json?.response_id ?? null, status: json?.status ?? null }),
};
