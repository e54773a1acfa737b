import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { json, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';

/** Sends `body` as given with `headers`, expects 200, returns the stored request's id. */
async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<string> {
  const reply = await send(url, { method: 'POST', body, headers });
  expect(reply.status).toBe(200);
  return json(reply).id as string;
}

const gzipped = (value: unknown) => gzipSync(JSON.stringify(value));
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('compressed bodies are looked into', () => {
  it('gzip, x-gzip, deflate (zlib-wrapped and raw), br and a gzip-then-br chain each name their job', async () => {
    const hc = await startHookCatch();
    const text = (id: string) => JSON.stringify({ jobId: id, status: 'completed' });
    const cases: [string, string, Buffer][] = [
      ['gz-1', 'gzip', gzipSync(text('gz-1'))],
      ['xgz-1', 'x-gzip', gzipSync(text('xgz-1'))],
      ['zlib-1', 'deflate', deflateSync(text('zlib-1'))],
      ['raw-1', 'deflate', deflateRawSync(text('raw-1'))],
      ['br-1', 'br', brotliCompressSync(text('br-1'))],
      ['chain-1', 'gzip, br', brotliCompressSync(gzipSync(text('chain-1')))],
    ];
    for (const [id, encoding, body] of cases) {
      await post(hc.webhookUrl, body, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
      expect(hc.jobs.get(id), `${id} (${encoding})`).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'body.jobId' }] });
    }
  });

  it('a --job-id-path rule reads the decoded body; the stored bytes stay as sent', async () => {
    const hc = await startHookCatch({ jobIdPaths: ['body.meta.ref'] });
    await hc.expect('ref-1');
    const body = gzipped({ jobId: 'decoy', meta: { ref: 'ref-1' }, status: 'done' });
    const id = await post(hc.webhookUrl, body, { 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('ref-1')!.deliveries[0]!.matchedBy).toBe('rule body.meta.ref');
    expect((await hc.store.get(id))!.body.equals(body)).toBe(true);
  });

  it('an encoding hook-catch does not decode, or bytes that do not decode, are not looked into', async () => {
    const hc = await startHookCatch();
    await post(hc.webhookUrl, '{"jobId":"zstd-1"}', { 'Content-Encoding': 'zstd' });
    await post(hc.webhookUrl, '{"jobId":"fake-gz-1"}', { 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('zstd-1')).toBeUndefined();
    expect(hc.jobs.get('fake-gz-1')).toBeUndefined();
    await post(hc.webhookUrl, gzipped({ jobId: 'after-bad-1' }), { 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('after-bad-1')).toBeDefined();
  });

  it('a gzip bomb is stored byte-exact and answered 200, decoded only up to the bound, and the receiver goes on', async () => {
    const hc = await startHookCatch();
    const bomb = gzipSync(`{"pad":"${'0'.repeat(50_000_000)}","jobId":"bomb-1"}`, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const id = await post(hc.webhookUrl, bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect((await hc.store.get(id))!.body.equals(bomb)).toBe(true);
    expect(hc.jobs.get('bomb-1')).toBeUndefined();
    // The same inside the bound is looked into, and the receiver still matches what comes next.
    await post(hc.webhookUrl, gzipSync(`{"pad":"${'0'.repeat(900_000)}","jobId":"inside-1"}`), { 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('inside-1')).toBeDefined();
    await post(hc.webhookUrl, gzipSync(`{"pad":"${'0'.repeat(1_000_000)}","jobId":"outside-1"}`), { 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('outside-1')).toBeUndefined();
    await post(hc.webhookUrl, gzipped({ jobId: 'after-bomb-1' }), { 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('after-bomb-1')).toBeDefined();
  });
});

describe('form bodies are looked into', () => {
  it('job_id=form-1&status=completed completes job form-1; a repeated field counts once, the first', async () => {
    const hc = await startHookCatch();
    await hc.expect('form-1');
    await post(hc.webhookUrl, 'job_id=form-1&status=completed', form);
    expect(hc.jobs.get('form-1')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'body.job_id', statusWord: 'completed' }] });
    await post(hc.webhookUrl, 'task_id=first-1&task_id=second-1&state=failed', { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' });
    expect(hc.jobs.get('first-1')).toMatchObject({ status: 'failed', deliveries: [{ matchedBy: 'body.task_id' }] });
    expect(hc.jobs.get('second-1')).toBeUndefined();
    // No Content-Type at all, but shaped like a form: looked into as one.
    await post(hc.webhookUrl, 'request_id=bare-1&status=done');
    expect(hc.jobs.get('bare-1')!.deliveries[0]!.matchedBy).toBe('body.request_id');
    // `curl -d '{…}'` sends JSON labelled as a form: still read as JSON.
    await post(hc.webhookUrl, '{"jobId":"curl-1"}', form);
    expect(hc.jobs.get('curl-1')!.deliveries[0]!.matchedBy).toBe('body.jobId');
  });

  it('GitHub-style payload=<urlencoded JSON>, gzip-compressed too: a nested id is found under body.payload', async () => {
    const hc = await startHookCatch();
    const event = (id: number) => ({ action: 'completed', workflow_run: { id, status: 'completed', conclusion: 'success' } });
    await hc.expect('30433642');
    await post(hc.webhookUrl, `payload=${encodeURIComponent(JSON.stringify(event(30433642)))}`, { ...form, 'X-GitHub-Event': 'workflow_run' });
    expect(hc.jobs.get('30433642')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'body.payload.workflow_run.id' }] });
    const job = { action: 'completed', workflow_job: { id: 1, run_id: 555, status: 'completed' } };
    await post(hc.webhookUrl, gzipSync(`payload=${encodeURIComponent(JSON.stringify(job))}`), { ...form, 'Content-Encoding': 'gzip' });
    expect(hc.jobs.get('555')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'body.payload.workflow_job.run_id' }] });
  });
});

describe('show prints what a body says', () => {
  async function storeWith(bodies: [string | Buffer, Record<string, string>][]) {
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel']);
    const ready = await cli.jsonLine<{ webhookUrl: string }>((v) => v.type === 'ready');
    const ids: string[] = [];
    for (const [body, headers] of bodies) ids.push(await post(ready.webhookUrl, body, headers));
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    return { dir, ids };
  }

  it('a gzip body decoded with a note, --body the exact bytes; a form as its fields; a broken one as stored', async () => {
    const gz = gzipped({ jobId: 'show-1', status: 'done', result: { text: 'hello' } });
    const github = `payload=${encodeURIComponent(JSON.stringify({ action: 'completed', workflow_run: { id: 7 } }))}&note=a+b%21`;
    const { dir, ids } = await storeWith([
      [gz, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }],
      [github, form],
      ['not gzip at all', { 'Content-Encoding': 'gzip' }],
    ]);

    const shown = await runCli(['show', ids[0]!, '--dir', dir]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`\\(sent gzip-compressed, ${gz.length} B; shown decoded, \\d+ B — \`--body\` gives the bytes as sent\\)`));
    expect(shown.stdout).toContain('\n  "jobId": "show-1",\n');
    const raw = await runCli(['show', ids[0]!, '--dir', dir, '--body']);
    expect(raw.stdoutBytes.equals(gz)).toBe(true);
    const asJson = JSON.parse((await runCli(['show', ids[0]!, '--dir', dir, '--json'])).stdout);
    expect(Buffer.from(asJson.body, asJson.bodyEncoding).equals(gz)).toBe(true);

    const fields = await runCli(['show', ids[1]!, '--dir', dir]);
    expect(fields.stdout).toMatch(/\(form fields, decoded — `--body` gives the bytes as sent\)/);
    expect(fields.stdout).toContain('payload = {\n  "action": "completed",\n  "workflow_run": {\n    "id": 7\n  }\n}\nnote = a b!\n');
    expect((await runCli(['show', ids[1]!, '--dir', dir, '--body'])).stdout).toBe(github);

    const broken = await runCli(['show', ids[2]!, '--dir', dir]);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/\(sent gzip-compressed, 15 B, but it does not decode as gzip: .*; shown as stored\)\nnot gzip at all\n/);
  });
});
