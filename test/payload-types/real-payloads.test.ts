import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../../src/event-types/event-type.js';
import { start, type HookCatch } from '../../src/start.js';
import type { TypesAnswer } from '../../src/wire/payload-types.js';
import { json, send } from '../helpers/index.js';
import { SEED_SECRETS } from '../helpers/seeds/common.js';
import type { SeedJob, Shape } from '../helpers/seeds/provider.js';
import { aiProvider } from '../helpers/seeds/ai.js';
import { deepaffectsProvider } from '../helpers/seeds/deepaffects.js';
import { tasksProvider } from '../helpers/seeds/tasks.js';
import { videodbProvider } from '../helpers/seeds/videodb.js';
import { PROVIDERS } from '../signatures/providers.js';
import { compiles, jsonSchemaFailures, project, type Sample, zodFailures, zodModule } from './checks.js';

// Real payload sets through a real hook-catch: GitHub's own webhook examples (@octokit/webhooks-examples),
// the signature tests' providers (Stripe, GitHub, Standard Webhooks, Svix, Slack, Shopify, Twilio, HMAC),
// and the four seed APIs' webhooks, each signed as its provider signs it. The types GET /api/types
// writes must hold every sample they came from: the TypeScript compiles with tsc --strict and
// takes each sample, the zod schemas parse each one, the JSON Schema validates each one.

let hc: HookCatch;
let dir: string;
/** The captures of the providers and seeds (not GitHub's examples), as hook-catch grouped them. */
let small: Sample[];
let all: Sample[];

const require = createRequire(import.meta.url);
interface GithubExamples {
  name: string;
  examples: Record<string, unknown>[];
}
const githubExamples = async (): Promise<GithubExamples[]> =>
  JSON.parse(await readFile(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'));

const post = (path: string, headers: Record<string, string>, body: string) =>
  send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body }).then((reply) => expect(reply.status).toBe(200));

async function postProviders(): Promise<void> {
  for (const provider of PROVIDERS) {
    for (let n = 0; n < 4; n++) {
      const body = provider.body(n);
      const target = provider.target?.(`/hooks/${provider.key}`, body) ?? `/hooks/${provider.key}`;
      const signed = await provider.sign(body, provider.secret, { at: Math.floor(Date.now() / 1000), url: `${hc.receiverUrl}${target}` });
      await post(target, { 'Content-Type': provider.contentType, ...signed }, body);
    }
  }
}

const SEED_SHAPES: Shape[] = [aiProvider, videodbProvider, deepaffectsProvider, tasksProvider];
async function postSeeds(): Promise<void> {
  for (const shape of SEED_SHAPES) {
    for (const [n, outcome] of (['success', 'failure', 'success', 'success', 'failure'] as const).entries()) {
      const job = { id: `${shape.seed}-job-${n}`, webhookUrl: null, createdAt: new Date(Date.UTC(2026, 4, 1, 9, n)), outcome } as SeedJob;
      if (n === 2) job.idempotencyKey = 'key-2';
      const body = JSON.stringify(shape.webhook(job));
      const secret = SEED_SECRETS[shape.seed];
      const signed = secret && shape.sign ? shape.sign(Buffer.from(body), job, secret) : {};
      await post(`/webhooks/${shape.seed}`, { 'Content-Type': 'application/json', ...signed }, body);
    }
  }
}

async function postGithubExamples(): Promise<number> {
  let count = 0;
  for (const event of await githubExamples()) {
    for (const example of event.examples) {
      await post('/github', { 'Content-Type': 'application/json', 'X-GitHub-Event': event.name, 'X-GitHub-Delivery': `d-${count++}` }, JSON.stringify(example));
    }
  }
  return count;
}

/** Every stored capture as `types` groups it: by event type, or untyped by its path. */
async function samples(): Promise<{ small: Sample[]; all: Sample[] }> {
  const captures = await hc.requests({ limit: 1000 });
  const found = captures
    .reverse()
    .map((c) => ({ sample: { key: c.event?.type ?? c.path, untyped: !c.event, payload: bodyOf(c) }, github: c.path === '/github' }));
  return { small: found.filter((f) => !f.github).map((f) => f.sample), all: found.map((f) => f.sample) };
}

const typesOf = async (lang: string): Promise<TypesAnswer> => json(await send(`${hc.inspectorUrl}/api/types?lang=${lang}`));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hook-catch-test-'));
  hc = await start({ port: 0, inspectorPort: 0, dir, output: 'none', tunnel: false });
  await postProviders();
  await postSeeds();
  expect(await postGithubExamples()).toBeGreaterThan(300);
  ({ small, all } = await samples());
}, 120_000);
afterAll(async () => {
  await hc?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('payload types from real payload sets', () => {
  it('groups them by the event type each capture was told, with its provider and sample count', async () => {
    const { types, captures, leftOut } = await typesOf('ts');
    expect(captures).toBe(all.length);
    expect(leftOut).toBe(0);
    const of = (event: string) => types.find((t) => t.event === event);
    expect(of('invoice.paid')).toEqual({ event: 'invoice.paid', name: 'InvoicePaid', samples: 4, provider: 'stripe' });
    expect(of('check_run.completed')?.provider).toBe('github');
    expect(of('task.completed')).toMatchObject({ samples: 3 });
    expect(of('task.failed')).toMatchObject({ samples: 2 });
    const examples = await githubExamples();
    const opened = examples.find((e) => e.name === 'issues')!.examples.filter((e) => e.action === 'opened').length;
    expect(of('issues.opened')).toEqual({ event: 'issues.opened', name: 'IssuesOpened', samples: opened, provider: 'github' });
    // Every sample is in exactly one group.
    expect(types.reduce((n, t) => n + t.samples, 0)).toBe(all.length);
  });

  it('reads what the samples show: optional fields, unions, status words, dates, URLs, numbers past 2^53', async () => {
    const { text } = await typesOf('ts');
    const block = (name: string) => text.slice(text.indexOf(`export interface ${name} {`), text.indexOf('\n}\n', text.indexOf(`export interface ${name} {`)));
    // tasks: idempotencyKey was a string once and null otherwise; the status word, in 3 samples, a literal.
    expect(block('TaskCompleted')).toContain('idempotencyKey: string | null;');
    expect(block('TaskCompleted')).toContain('status: "completed";');
    expect(block('TaskCompleted')).toContain('createdAt: IsoDateTime;');
    // Shopify's order ids are past 2^53: number, not integer, so zod's .int() does not refuse them.
    const schema = JSON.parse((await typesOf('json-schema')).text);
    const shopify =
      schema['x-hook-catch-paths']?.['/hooks/shopify'] ??
      schema['x-hook-catch-events'][Object.keys(schema['x-hook-catch-events']).find((k) => k.startsWith('orders')) ?? ''];
    expect(schema.$defs[shopify.$ref.split('/').pop()].properties.id).toEqual({ type: 'number' });
    // GitHub: a field some examples of an event lack is optional; html_url a URL, created_at a date.
    const issues = block('IssuesOpened');
    expect(issues).toMatch(/html_url: Url;/);
    expect(issues).toMatch(/created_at: IsoDateTime;/);
    expect(issues).toMatch(/organization\?: \{/);
  });

  it('the TypeScript compiles with tsc --strict, and every provider and seed sample is a value of its type', { timeout: 180_000 }, async () => {
    const where = await project();
    await compiles(where, (await typesOf('ts')).text, small);
  });

  it('the zod schemas parse every sample they came from, GitHub examples included', { timeout: 60_000 }, async () => {
    const module = await zodModule(await project(), (await typesOf('zod')).text);
    expect(zodFailures(module, all)).toEqual([]);
  });

  it('the JSON Schema (2020-12, formats checked) validates every sample, picked by x-hook-catch-events', { timeout: 60_000 }, async () => {
    const document = JSON.parse((await typesOf('json-schema')).text);
    // GitHub's: the samples of 25 event types (ajv compiles each of these large schemas in about 0.1 s).
    const github = [...new Set(all.filter((s) => !small.includes(s)).map((s) => s.key))].slice(0, 25);
    const checked = all.filter((s) => small.includes(s) || github.includes(s.key));
    expect(checked.length).toBeGreaterThan(small.length + 40);
    expect(jsonSchemaFailures(document, checked)).toEqual([]);
  });
});
