import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Client } from './app.js';
import { credential } from './common.js';
import type { SeedJob, Shape } from './provider.js';

// Seed 000, the Artificial Intelligence API: `POST /ai/v1/<operation>?webhook=<url>` (a JSON body or
// the media itself) answers `{"jobId"}`; `GET /ai/status/v1/jobs/{jobId}` says InProgress, then
// Success or Failure with the result; the webhook carries jobId, status and the result, signed with
// Standard Webhooks. The seed leaves the credentials unsaid: a bearer key here.

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** `a919924e-ce4e-11ed-xxxx-0050568c48bc`: a UUID v1's look, as the seed shows it. */
const jobId = () => {
  const hex = randomBytes(8).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-11ed-${hex.slice(12, 16)}-0050568c48bc`;
};
const word = (job: SeedJob) => (job.outcome === 'success' ? 'Success' : job.outcome === 'failure' ? 'Failure' : 'InProgress');
const outcome = (job: SeedJob) =>
  job.outcome === 'success'
    ? { result: { transcript: 'Hi! Hello, this is Susan.', confidence: 0.97, language: 'en-US' } }
    : job.outcome === 'failure'
      ? { error: { code: 'MediaUnreadable', message: 'The media could not be decoded.' } }
      : {};

export const aiProvider: Shape = {
  seed: 'ai',
  backoffMs: [],
  answer(request, api) {
    const status = /^\/ai\/status\/v1\/jobs\/([^/]+)$/.exec(request.path);
    const submit = request.method === 'POST' && request.path.startsWith('/ai/v1/');
    if (!submit && !(status && request.method === 'GET')) return undefined;
    if (request.header('authorization') !== `Bearer ${api.apiKey}`) {
      return { status: 401, body: { error: 'Unauthorized', message: 'Missing or unknown API key: send Authorization: Bearer <key>.' } };
    }
    if (submit) return { status: 200, body: { jobId: api.open(jobId(), request, request.query.get('webhook')).id } };
    const job = api.job(decodeURIComponent(status![1]!));
    if (!job) return { status: 404, body: { error: 'NotFound', message: `No job ${status![1]} (job ids expire after one week).` } };
    const expirationTime = new Date(job.createdAt.getTime() + WEEK_MS).toISOString();
    return { status: 200, body: { jobId: job.id, creationTime: job.createdAt.toISOString(), expirationTime, status: word(job), ...outcome(job) } };
  },
  webhook: (job) => ({ jobId: job.id, status: word(job), ...outcome(job) }),
  sign(body, job, secret) {
    // One message id per job: a retry or a duplicate of it is the same message, signed afresh.
    const id = `msg_${job.id}`;
    const at = new Date();
    return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) };
  },
};

export const aiApp: Client = {
  seed: 'ai',
  submit(input, { webhookUrl, apiKey }) {
    const media = input.media;
    return {
      method: 'POST',
      path: `${input.path ?? '/ai/v1/transcribe'}?webhook=${encodeURIComponent(webhookUrl)}`,
      headers: {
        ...credential('Authorization', apiKey === null ? null : `Bearer ${apiKey}`),
        'Content-Type': media ? (input.contentType ?? 'audio/wav') : 'application/json',
      },
      body: media ?? JSON.stringify(input.json ?? { language: 'en-US', mediaUrl: 'https://media.example.com/call-1.wav' }),
    };
  },
  jobIdOf: (answer) => answer?.jobId ?? null,
  poll: (id, apiKey) => ({
    method: 'GET',
    path: `/ai/status/v1/jobs/${encodeURIComponent(id)}`,
    headers: credential('Authorization', apiKey === null ? null : `Bearer ${apiKey}`),
  }),
  statusOf: (answer) => answer?.status ?? null,
  fromWebhook: (json) => ({ jobId: json?.jobId ?? null, status: json?.status ?? null }),
  verify: (body, headers, secret) => void new Webhook(secret).verify(body, headers),
};
