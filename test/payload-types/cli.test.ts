import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TypesAnswer } from '../../src/wire/payload-types.js';
import { json, runCli, send, startHookCatch, tempDir } from '../helpers/index.js';

// `hook-catch types` end to end: captures posted to a started hook-catch, then the real CLI on its
// store (beside the running instance, and offline once it stopped), and GET /api/types.

const NO_STACK = /\n\s+at |Error:/;

async function storeWithCaptures() {
  const hc = await startHookCatch();
  const post = async (path: string, headers: Record<string, string>, body: object) =>
    expect(
      (await send(`${hc.receiverUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }))
        .status,
    ).toBe(200);
  await hc.expect('job-7');
  for (const [n, state] of ['succeeded', 'failed', 'succeeded'].entries()) {
    await post(
      '/hooks/pay',
      {},
      { type: 'payment.settled', data: { id: `p${n}`, state, at: `2026-05-01T09:0${n}:00Z`, ...(n === 1 && { reason: 'card_declined' }) } },
    );
  }
  await post('/hooks/gh', { 'X-GitHub-Event': 'issues' }, { action: 'opened', issue: { number: 1, html_url: 'https://github.com/acme/app/issues/1' } });
  await post('/webhook/job-7', {}, { jobId: 'job-7', status: 'completed', output: { url: 'https://cdn.example.com/o.mp4' } });
  await post('/hooks/plain', {}, { ping: true });
  expect((await send(`${hc.receiverUrl}/hooks/text`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' })).status).toBe(200);
  return hc;
}

describe('hook-catch types', () => {
  it('writes one type per event type from the store, beside a running instance and offline, with the samples on stderr', { timeout: 60_000 }, async () => {
    const hc = await storeWithCaptures();
    const running = await runCli(['types', '--dir', hc.dir]);
    expect(running.code, running.stderr).toBe(0);
    expect(running.stdout).toContain('export interface PaymentSettled {');
    expect(running.stdout).toMatch(/state: "failed" \| "succeeded";\n\s+at: IsoDateTime;\n\s+reason\?: string;/);
    expect(running.stdout).toContain('  | { event: "issues.opened"; payload: IssuesOpened }');
    expect(running.stdout).toContain('"/hooks/plain": UntypedHooksPlain;');
    expect(running.stderr).toBe(
      'hook-catch: 3 event types from 7 captures (1 left out: not a webhook, or no JSON body): payment.settled 3 samples, issues.opened 1 sample, completed 1 sample, (untyped) /hooks/plain 1 sample\n',
    );
    await hc.close();
    const offline = await runCli(['types', '--dir', hc.dir]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toBe(running.stdout);
  });

  it('--lang zod and json-schema, --out, --event, --job and --since choose what is written and from which captures', { timeout: 90_000 }, async () => {
    const hc = await storeWithCaptures();
    await hc.close();
    const out = join(await tempDir(), 'webhooks.schema.json');
    const schema = await runCli(['types', '--dir', hc.dir, '--lang', 'json-schema', '--event', 'payment', '--out', out]);
    expect(schema.code, schema.stderr).toBe(0);
    expect(schema.stdout).toBe('');
    expect(schema.stderr).toBe(`hook-catch: 1 event type from 3 captures: payment.settled 3 samples; written to ${out}\n`);
    const document = JSON.parse(await readFile(out, 'utf8'));
    expect(document['x-hook-catch-events']).toEqual({ 'payment.settled': { $ref: '#/$defs/PaymentSettled', samples: 3 } });

    const zod = await runCli(['types', '--dir', hc.dir, '--lang', 'zod', '--job', 'job-7']);
    expect(zod.code, zod.stderr).toBe(0);
    expect(zod.stdout).toContain("import { z } from 'zod';");
    expect(zod.stdout).toContain('output: z.object({\n    url: z.string().url(),\n  }).passthrough(),');
    expect(zod.stderr).toContain('1 event type from 1 capture: completed 1 sample');

    const recent = await runCli(['types', '--dir', hc.dir, '--since', '1h', '--event', 'issues']);
    expect(recent.stderr).toContain('1 event type from 1 capture: issues.opened 1 sample');
    const after = new Date(Date.now() + 1).toISOString();
    await new Promise((resolve) => setImmediate(resolve));
    const none = await runCli(['types', '--dir', hc.dir, '--since', after]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('hook-catch: No stored webhook matches --since: nothing to infer types from. `hook-catch list` shows what is stored.\n');
    const future = await runCli(['types', '--dir', hc.dir, '--since', '2999-01-01T00:00:00Z']);
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/^hook-catch: .*2999-01-01T00:00:00Z is in the future: give a time that has passed, or a duration such as 2h\./);
  });

  it('says in one line when nothing matches, and what a bad --lang or --since takes', async () => {
    const fresh = await startHookCatch();
    const empty = await runCli(['types', '--dir', fresh.dir]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('hook-catch: No stored webhook matches: nothing to infer types from. `hook-catch list` shows what is stored.\n');
    await send(`${fresh.receiverUrl}/hooks/text`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    const text = await runCli(['types', '--dir', fresh.dir]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('hook-catch: The 1 matching capture has no JSON or form body: nothing to infer types from.\n');
    const hc = await storeWithCaptures();
    const unmatched = await runCli(['types', '--dir', hc.dir, '--event', 'nothing.like.this']);
    expect(unmatched.code).toBe(1);
    expect(unmatched.stderr).toBe(
      'hook-catch: No stored webhook matches --event nothing.like.this: nothing to infer types from. `hook-catch list` shows what is stored.\n',
    );
    const lang = await runCli(['types', '--dir', hc.dir, '--lang', 'python']);
    expect(lang.code).toBe(1);
    expect(lang.stderr.split('\n')[0]).toBe("hook-catch: option '--lang <lang>' argument 'python' is invalid. Allowed choices are ts, zod, json-schema.");
    const since = await runCli(['types', '--dir', hc.dir, '--since', 'yesterday']);
    expect(since.code).toBe(1);
    expect(since.stderr).toContain('give a duration such as 30m, 2h or 7d, or a time such as 2026-05-01T09:00:00Z.');
    for (const run of [empty, text, unmatched, lang, since]) expect(run.stderr).not.toMatch(NO_STACK);
  });
});

describe('GET /api/types', () => {
  it('answers the text and each type with its samples; ?event= narrows it; another lang is a 400', async () => {
    const hc = await storeWithCaptures();
    const answer = json<TypesAnswer>(await send(`${hc.inspectorUrl}/api/types?lang=zod&event=payment`));
    expect(answer).toMatchObject({ lang: 'zod', captures: 3, leftOut: 0, types: [{ event: 'payment.settled', name: 'PaymentSettled', samples: 3 }] });
    expect(answer.text).toContain('export const PaymentSettled = z.object({');
    expect(answer.summary).toBe('1 event type from 3 captures: payment.settled 3 samples');
    const all = json<TypesAnswer>(await send(`${hc.inspectorUrl}/api/types`));
    expect(all.lang).toBe('ts');
    expect(all.types.map((t) => t.event)).toEqual(['payment.settled', 'issues.opened', 'completed', '/hooks/plain']);
    const none = json<TypesAnswer>(await send(`${hc.inspectorUrl}/api/types?event=nothing`));
    expect(none).toMatchObject({ text: '', types: [], captures: 0 });
    const bad = await send(`${hc.inspectorUrl}/api/types?lang=rust`);
    expect(bad.status).toBe(400);
    expect(json(bad)).toEqual({ error: 'lang must be one of ts, zod, json-schema; got "rust".' });
  });
});
