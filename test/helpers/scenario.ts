import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REDACTED, SCENARIO_FORMAT, type PollStep, type Scenario, type WebhookStep } from '../../src/scenario/format.js';
import { tempDir } from './index.js';

/** The job id of the seed APIs' recordings: a UUID. */
export const RECORDED_ID = 'a919924e-ce4e-11ed-9999-0050568c48bc';

const SUBMIT_BODY = '{"model":"whisper-large","audio":{"url":"https://files.example/a.wav"},"requestedAt":"2026-12-01T10:00:00Z"}';

interface WebhookSpec {
  atMs: number;
  body: string;
  status?: WebhookStep['status'];
  attempt?: number;
  duplicate?: boolean;
  headers?: [string, string][];
  scheme?: string;
}

/** A poll: when it was made and the status word it got. */
type PollSpec = { atMs: number; word: 'InProgress' | 'Success' | 'Failed' };

/**
 * A scenario like the seed APIs': submit `POST /ai/v1/transcribe?webhook=<url>` answered
 * `{"jobId":"<id>"}` (and a Location), status polls `GET /ai/status/v1/jobs/<id>`, and webhooks.
 * The default: a poll InProgress at 500 ms, webhooks at 1 s (progress) and 2 s (Success), a poll Success at 2.5 s.
 */
export function transcribeScenario(
  options: { id?: string; webhooks?: WebhookSpec[]; polls?: PollSpec[]; match?: Scenario['match']; submitBody?: string } = {},
): Scenario {
  const id = options.id ?? RECORDED_ID;
  const webhooks = options.webhooks ?? [
    { atMs: 1000, body: `{"jobId":"${id}","status":"InProgress","progress":50}`, status: 'in_progress' },
    { atMs: 2000, body: `{"jobId":"${id}","status":"Success","text":"h\u00e9llo w\u00f6rld"}`, status: 'completed' },
  ];
  const polls = options.polls ?? [
    { atMs: 500, word: 'InProgress' },
    { atMs: 2500, word: 'Success' },
  ];
  const json = (body: string) => ({ body, bodyEncoding: 'utf8' as const });
  const poll = (spec: PollSpec): PollStep => ({
    kind: 'poll',
    atMs: spec.atMs,
    request: { method: 'GET', url: `/ai/status/v1/jobs/${id}`, headers: [['Authorization', REDACTED]], bodySize: 0 },
    answer: {
      status: 200,
      headers: [
        ['Content-Type', 'application/json'],
        ['Content-Length', '999'],
        ['X-Job', id],
      ],
      latencyMs: 12,
      ...json(`{"jobId":"${id}","status":"${spec.word}"}`),
    },
    statusWord: spec.word,
    status: spec.word === 'InProgress' ? 'in_progress' : spec.word === 'Success' ? 'completed' : 'failed',
  });
  const webhook = (spec: WebhookSpec): WebhookStep => ({
    kind: 'webhook',
    atMs: spec.atMs,
    attempt: spec.attempt ?? 1,
    duplicate: spec.duplicate ?? false,
    request: {
      method: 'POST',
      url: '/webhook',
      headers: spec.headers ?? [
        ['Host', 'recorded.example'],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(Buffer.byteLength(spec.body))],
        ['X-Provider-Job', id],
        ['Connection', 'close'],
      ],
      bodySize: Buffer.byteLength(spec.body),
      ...json(spec.body),
    },
    answered: { status: 200, by: 'hook-catch' },
    ...(spec.scheme && { scheme: spec.scheme }),
    statusWord: null,
    status: spec.status ?? 'completed',
  });
  const submitBody = options.submitBody ?? SUBMIT_BODY;
  return {
    format: SCENARIO_FORMAT,
    createdBy: 'test',
    job: {
      id,
      label: null,
      provider: 'https://api.seed.example',
      status: 'completed',
      submittedAt: '2026-12-01T10:00:00Z',
      webhookUrl: 'https://rec.example/webhook',
    },
    ...(options.match && { match: options.match }),
    redacted: ['header Authorization'],
    steps: [
      {
        kind: 'submit',
        atMs: 0,
        request: {
          method: 'POST',
          url: '/ai/v1/transcribe?webhook=https%3A%2F%2Frec.example%2Fwebhook',
          headers: [
            ['Content-Type', 'application/json'],
            ['Authorization', REDACTED],
          ],
          bodySize: Buffer.byteLength(submitBody),
          ...json(submitBody),
        },
        answer: {
          status: 201,
          headers: [
            ['Content-Type', 'application/json'],
            ['Location', `/ai/status/v1/jobs/${id}`],
            ['Transfer-Encoding', 'chunked'],
          ],
          latencyMs: 80,
          ...json(`{"jobId":"${id}"}`),
        },
        idAt: 'body.jobId',
        webhookUrlAt: 'query.webhook',
      },
      ...[...polls.map(poll), ...webhooks.map(webhook)].sort((a, b) => a.atMs - b.atMs),
    ],
  };
}

/** Scenarios written as files in a fresh folder (removed after the test); the folder's path. */
export async function scenarioDir(scenarios: Record<string, Scenario>): Promise<string> {
  const dir = join(await tempDir(), 'scenarios');
  await mkdir(dir);
  for (const [name, scenario] of Object.entries(scenarios)) await writeFile(join(dir, name), JSON.stringify(scenario, null, 2));
  return dir;
}

/** The submit an app makes: its own webhook URL in the query, its own values in the body. */
export const SUBMIT_PATH = (webhookUrl: string) => `/ai/v1/transcribe?webhook=${encodeURIComponent(webhookUrl)}`;
export const LIVE_SUBMIT_BODY = '{"model":"whisper-small","audio":{"url":"https://files.example/b.wav"},"requestedAt":"2026-12-05T18:00:00Z"}';
