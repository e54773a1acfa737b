import { randomUUID } from 'node:crypto';
import type { Client } from './app.js';
import { credential } from './common.js';
import type { SeedJob, Shape } from './provider.js';

// Seed 002, DeepAffects: `POST /audio/generic/api/v1/async/<operation>?apikey=<key>&webhook=<url>`
// answers `{"request_id", "api": "requested"}`; `GET /transaction/generic/api/v1/async/status
// ?apikey=…&request_id=…` answers `{"response": {...}, "status": "Running" | "Completed" | "Failed"}`;
// the webhook is the response object, `{"request_id", "response"}`, not signed. The key goes in the query.

const SUBMIT = '/audio/generic/api/v1/async/';
const STATUS = '/transaction/generic/api/v1/async/status';
const result = {
  confidence: 0.97,
  num_speakers: 2,
  transcript: 'Hi! Hello, this is Susan.',
  words: [{ confidence: 0.97, end: 1, speaker_id: '1', start: 0, word: 'Hi' }],
};
const FAILED = 'The audio could not be decoded: check encoding and sampleRate.';
/** The response object: the request's id and, once done, its result (or why it failed). */
const responseOf = (job: SeedJob) =>
  job.outcome === 'success'
    ? { request_id: job.id, response: result }
    : job.outcome === 'failure'
      ? { request_id: job.id, error: FAILED }
      : { request_id: job.id };
const word = (job: SeedJob) => (job.outcome === 'success' ? 'Completed' : job.outcome === 'failure' ? 'Failed' : 'Running');

export const deepaffectsProvider: Shape = {
  seed: 'deepaffects',
  backoffMs: [],
  answer(request, api) {
    const submit = request.method === 'POST' && request.path.startsWith(SUBMIT) && request.path.length > SUBMIT.length;
    if (!submit && !(request.method === 'GET' && request.path === STATUS)) return undefined;
    const key = request.query.get('apikey');
    if (key !== api.apiKey)
      return { status: 401, body: { message: key ? 'Invalid authentication credentials.' : 'No API key found in request: pass ?apikey=<key>.' } };
    if (submit) {
      if (typeof request.json !== 'object' || request.json === null) return { status: 400, body: { message: 'The body must be a JSON object.' } };
      return { status: 200, body: { request_id: api.open(randomUUID(), request, request.query.get('webhook')).id, api: 'requested' } };
    }
    const id = request.query.get('request_id');
    if (!id) return { status: 400, body: { message: 'request_id is required.' } };
    const job = api.job(id);
    return job
      ? { status: 200, body: { response: responseOf(job), status: word(job) } }
      : { status: 404, body: { message: `No request with request_id ${id}.` } };
  },
  webhook: responseOf,
};

export const deepaffectsApp: Client = {
  seed: 'deepaffects',
  submit(input, { webhookUrl, apiKey }) {
    const query = new URLSearchParams({ ...credential('apikey', apiKey), webhook: webhookUrl });
    const content = (input.media ?? Buffer.from('RIFF fake wave bytes')).toString('base64');
    return {
      method: 'POST',
      path: `${input.path ?? `${SUBMIT}diarize`}?${query}`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ encoding: 'Wave', languageCode: 'en-US', sampleRate: 8000, speakers: -1, ...input.json, content }),
    };
  },
  jobIdOf: (answer) => answer?.request_id ?? null,
  poll: (id, apiKey) => ({ method: 'GET', path: `${STATUS}?${new URLSearchParams({ ...credential('apikey', apiKey), request_id: id })}`, headers: {} }),
  statusOf: (answer) => answer?.status ?? null,
  // The webhook has no status word: a result means done, an error failed.
  fromWebhook: (json) => ({ jobId: json?.request_id ?? null, status: json?.response ? 'Completed' : json?.error ? 'Failed' : null }),
};
