import { createServer } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { json, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';
import { LIVE_SUBMIT_BODY, scenarioDir, SUBMIT_PATH, transcribeScenario } from './helpers/scenario.js';

// `hook-catch mock` as a user runs it: the real bin, a real local app, scenario files on disk.

const submit = (url: string, webhookUrl: string) =>
  send(`${url}${SUBMIT_PATH(webhookUrl)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: LIVE_SUBMIT_BODY });

describe('hook-catch mock', () => {
  it('--json --until-done --strict: a JSON line per event, the summary last, exit 2 for an unmatched request', { timeout: 60_000 }, async () => {
    const app = await recordingApp();
    const dir = await scenarioDir({ 'transcribe.json': transcribeScenario() });
    const cli = spawnCli(['mock', dir, '--port', '0', '--speed', 'instant', '--json', '--until-done', '--strict']);
    const { url } = await cli.jsonLine<{ url: string }>((line) => line.type === 'listening');
    expect((await send(`${url}/nothing/here`)).status).toBe(501);
    const id: string = json(await submit(url, `${app.url}/hook`)).jobId;
    expect((await cli.exited).code).toBe(2);
    const lines = cli
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual(['listening', 'unmatched', 'submit', 'webhook', 'webhook', 'job-done', 'summary']);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ exitCode: 2, polls: 0, unmatchedCount: 1, webhooks: { sent: 2, acknowledged: 2 } });
    expect(summary.jobs[0]).toMatchObject({ scenario: 'transcribe.json', id, settled: true });
    expect(lines[3]).toMatchObject({ type: 'webhook', id, send: 1, attempt: { attempt: 1, status: 200 }, willRetry: false });
    expect(app.received.map((r) => JSON.parse(r.body.toString()).jobId)).toEqual([id, id]);
  });

  it('--resign standard-webhooks:SECRET, a line per event, and the summary at Ctrl-C (exit 0)', { timeout: 60_000 }, async () => {
    const whsec = `whsec_${Buffer.from('a signing key of thirty-two b!!!').toString('base64')}`;
    const app = await recordingApp();
    const scenario = transcribeScenario();
    const dir = await scenarioDir({ 'transcribe.json': scenario });
    const cli = spawnCli(['mock', dir, '--port', '0', '--speed', 'instant', '--resign', `standard-webhooks:${whsec}`]);
    const [, url] = await cli.printed(/on (http:\/\/\S+), played at instant/);
    const id: string = json(await submit(url!, app.url)).jobId;
    await app.got(2);
    await cli.printed(/every webhook acknowledged/);
    expect(json(await send(`${url}/ai/status/v1/jobs/${id}`)).status).toBe('Success');
    for (const got of app.received) {
      const headers = Object.fromEntries(got.headers.map(([n, v]) => [n.toLowerCase(), v]));
      expect(() => new Webhook(whsec).verify(got.body.toString(), headers)).not.toThrow();
    }
    cli.child.kill('SIGINT');
    expect((await cli.exited).code).toBe(0);
    const out = cli.stdout();
    expect(out).toMatch(new RegExp(`submit +POST /ai/v1/transcribe\\S* +→ job ${id}`));
    expect(out).toMatch(new RegExp(`webhook +job ${id} webhook 2, attempt 1 +→ app answered 200`));
    expect(out).toMatch(/poll +GET \/ai\/status\/v1\/jobs\/\S+ +200 Success/);
    expect(out).toContain('1 job played, 2 webhooks sent (2 acknowledged), 1 poll answered, 0 requests unmatched');
    expect(out).toContain(`  ${scenario.job.id} → ${id}  transcribe.json  1 poll  webhooks: 200, 200`);
  });

  it('says in one line what is wrong with its input, never a stack trace', { timeout: 60_000 }, async () => {
    const dir = await scenarioDir({ 'not-json.json': 'x' as never });
    const cases: [string[], RegExp][] = [
      [['mock', `${dir}/none.json`], /^hook-catch: \S+none\.json: no such file or folder\.\n$/],
      [['mock', dir], /^hook-catch: \S+not-json\.json is not a playable hook-catch\/scenario@1 file: it is not a JSON object\.\n$/],
      [['mock', dir, '--speed', 'fast'], /^hook-catch: option '--speed <factor>' argument 'fast' is invalid\. --speed takes/],
    ];
    for (const [args, line] of cases) {
      const cli = spawnCli(args);
      const { code } = await cli.exited;
      expect(cli.stderr()).toMatch(line);
      expect(cli.stderr().trim().split('\n').length, cli.stderr()).toBeLessThanOrEqual(2);
      expect(code).toBe(1);
    }
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const good = await scenarioDir({ 'transcribe.json': transcribeScenario() });
    const cli = spawnCli(['mock', good, '--port', String(port)]);
    expect((await cli.exited).code).toBe(1);
    busy.close();
    expect(cli.stderr()).toBe(
      `hook-catch: Port ${port} on 127.0.0.1 is already in use, so the provider double cannot listen there. Choose another with --port <port> (--port 0 picks any free port).\n`,
    );
  });

  it('--dir with no hook-catch running there: one line says the page will not show the calls, and it plays', { timeout: 60_000 }, async () => {
    const app = await recordingApp();
    const dir = await scenarioDir({ 'transcribe.json': transcribeScenario() });
    const store = await tempDir();
    const cli = spawnCli(['mock', dir, '--port', '0', '--speed', 'instant', '--until-done', '--dir', store]);
    const [, url] = await cli.printed(/on (http:\/\/\S+), played at instant/);
    const id: string = json(await submit(url!, app.url)).jobId;
    expect((await cli.exited).code).toBe(0);
    const lines = cli.stdout().split('\n');
    expect(lines[1]).toBe(`no hook-catch running on ${store}: the page will not show these calls`);
    expect(lines.filter((line) => line.includes('the page'))).toHaveLength(1);
    expect(cli.stdout()).toContain(`job ${id}: every webhook acknowledged`);
    expect(cli.stderr()).toBe('');
  });

  it('--no-report beside a running hook-catch: nothing said, nothing reported', { timeout: 60_000 }, async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const dir = await scenarioDir({ 'transcribe.json': transcribeScenario() });
    const cli = spawnCli(['mock', dir, '--port', '0', '--speed', 'instant', '--until-done', '--dir', hc.dir, '--no-report']);
    const [, url] = await cli.printed(/on (http:\/\/\S+), played at instant/);
    await submit(url!, app.url);
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).not.toContain('the page');
    expect(json(await send(`${hc.inspectorUrl}/api/mock/events`)).items).toEqual([]);
  });

  it('the hook-catch on --dir stops while the mock plays: the mock plays on, saying nothing of it', { timeout: 60_000 }, async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const dir = await scenarioDir({ 'transcribe.json': transcribeScenario() });
    const cli = spawnCli(['mock', dir, '--port', '0', '--speed', 'instant', '--until-done', '--dir', hc.dir]);
    const [, url] = await cli.printed(/on (http:\/\/\S+), played at instant/);
    await cli.printed(/the inspector page at http:\/\/127\.0\.0\.1:\d+ shows these calls\n/);
    await hc.close();
    const id: string = json(await submit(url!, app.url)).jobId;
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).toContain(`job ${id}: every webhook acknowledged`);
    expect(cli.stderr()).toBe('');
  });
});
