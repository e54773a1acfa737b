import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../src/fixtures/fixture.js';
import { runCli, send, spawnCli, tempDir, type Spawned } from './helpers/index.js';

/** Every capture here: free ports, never a tunnel (no test dials out). */
const LOCAL = ['--port', '0', '--inspector-port', '0', '--no-tunnel'];
/** What a child process gets to do anything, on a busy machine. */
const LONG = 30_000;
const TEST = { timeout: 90_000 };

function capture(args: string[]) {
  return spawnCli(['capture', ...args, ...LOCAL]);
}

/** The webhook URL: capture's first stdout line. */
async function urlOf(cli: Spawned): Promise<string> {
  return (await cli.printed(/^(http:\/\/\S+)\n/, { timeoutMs: LONG }))[1]!;
}

function exited(cli: Spawned, timeoutMs = LONG) {
  return new Promise<{ code: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`capture did not exit in ${timeoutMs} ms; stdout: ${cli.stdout()} stderr: ${cli.stderr()}`)), timeoutMs);
    cli.exited.then((value) => (clearTimeout(timer), resolve(value)));
  });
}

async function deliver(url: string, body: string) {
  const reply = await send(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
}

/** The text-mode end: every stdout line after the URL is a fixture path. */
const listed = (cli: Spawned) => cli.stdout().trimEnd().split('\n').slice(1);

describe('hook-catch capture', () => {
  it('waits for every expected job, writes the URL file, saves each delivery as a fixture and exits 0', TEST, async () => {
    const tmp = await tempDir();
    const out = join(tmp, 'fixtures');
    const cli = capture(['--expect', 'a', '--expect', 'b', '--out', out, '--url-file', join(tmp, 'url'), '--timeout', '5m']);
    const url = await urlOf(cli);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    // Written before the URL is printed, whole, with a newline: what the step that submits the jobs reads.
    expect(await readFile(join(tmp, 'url'), 'utf8')).toBe(url + '\n');
    await cli.printed(/waiting for 2 jobs \(a, b\), up to 5m/, { stream: 'stderr', timeoutMs: LONG });
    const bodies = { a: '{"jobId":"a","status":"completed"}', b: '{"jobId":"b","status":"completed","text":"héllo"}' };
    await deliver(url, bodies.a);
    await cli.printed(/job a completed \(1 of 2 settled\)/, { stream: 'stderr', timeoutMs: LONG });
    await deliver(url, bodies.b);
    expect((await exited(cli)).code).toBe(0);

    const files = listed(cli);
    expect(files).toHaveLength(2);
    expect((await readdir(out)).sort()).toEqual(files.map((file) => file.slice(out.length + 1)).sort());
    const fixtures = await Promise.all(files.map((file) => loadFixture(file)));
    for (const [id, body] of Object.entries(bodies)) {
      const fixture = fixtures.find((f) => f.job?.id === id)!;
      expect(fixture).toMatchObject({ format: 'hook-catch/fixture@1', method: 'POST', path: '/webhook', job: { id, status: 'completed' } });
      expect(fixture.body.equals(Buffer.from(body))).toBe(true);
    }
    expect(JSON.parse(await readFile(files[0]!, 'utf8')).format).toBe('hook-catch/fixture@1');
    expect(cli.stderr()).toMatch(/all 2 jobs completed\.\nhook-catch: saved 2 fixtures to /);
  });

  it('--settle: a duplicate its provider sends after the job settled is saved too, and the report says what was saved', TEST, async () => {
    const out = join(await tempDir(), 'out');
    // A settle time long enough that the duplicate, sent once the job settled, surely falls in it.
    const cli = capture(['--expect', 'dup', '--out', out, '--settle', '20s']);
    const url = await urlOf(cli);
    const body = '{"jobId":"dup","status":"completed"}';
    await deliver(url, body);
    await cli.printed(/every job settled; listening 20s more for late deliveries, such as a duplicate \(--settle\)/, { stream: 'stderr', timeoutMs: LONG });
    await deliver(url, body);
    expect((await exited(cli, 90_000)).code).toBe(0);
    const fixtures = await Promise.all(listed(cli).map((file) => loadFixture(file)));
    expect(fixtures.map((f) => [f.job?.attempt, f.job?.duplicate])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(cli.stderr()).toMatch(/received POST \/webhook 200 - job dup, completed \(a retry\)/);
    expect(cli.stderr()).toMatch(
      /in the 20s settle time, 1 more delivery came \(1 duplicate\)\.\nhook-catch: all 1 job completed\.\nhook-catch: saved 2 fixtures to .*out: 2 deliveries \(1 duplicate\)\.\n$/,
    );
  });

  it('--settle 0 stops as soon as the jobs settle; a bad --settle is one line', TEST, async () => {
    const out = join(await tempDir(), 'out');
    const cli = capture(['--expect', 'now', '--out', out, '--settle', '0', '--json']);
    const ready = await cli.jsonLine((v) => v.type === 'ready', LONG);
    await deliver(ready.webhookUrl, '{"jobId":"now","status":"done"}');
    expect((await exited(cli)).code).toBe(0);
    const done = await cli.jsonLine((v) => v.type === 'done');
    expect(done).toMatchObject({ settled: null, saved: { deliveries: 1, duplicates: 0, refused: 0, polled: 0, imported: 0, other: 0 } });
    expect(cli.stderr()).not.toMatch(/--settle|settle time/);
    const bad = await runCli(['capture', '--expect', 'x', '--out', out, '--settle', 'soon', ...LOCAL]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe(
      "hook-catch: option '--settle <duration>' argument 'soon' is invalid. give a duration such as 3s, 500ms or 10s, or 0 for none.",
    );
  });

  it('exits 3 when a job failed, its deliveries saved all the same (a progress update too)', TEST, async () => {
    const out = join(await tempDir(), 'out');
    const cli = capture(['--expect', 'ok', 'bad', '--out', out, '--timeout', '5m']);
    const url = await urlOf(cli);
    await deliver(url, '{"jobId":"bad","status":"processing"}');
    await deliver(url, '{"jobId":"bad","status":"Failed"}');
    await deliver(url, '{"jobId":"ok","status":"succeeded"}');
    expect((await exited(cli)).code).toBe(3);
    expect(listed(cli)).toHaveLength(3);
    expect(await readdir(out)).toHaveLength(3);
    expect(cli.stderr()).toMatch(/job bad failed \(the payload says "Failed"\)/);
    expect(cli.stderr()).toMatch(/saved 3 fixtures to .* \(exit 3\)/);
  });

  it('exits 124 on timeout, saving and listing what did arrive and naming the job still missing', TEST, async () => {
    const tmp = await tempDir();
    const store = join(tmp, 'store');
    // A first capture keeps its store (--dir): job "came" is delivered there.
    const first = capture(['--count', '1', '--dir', store, '--out', join(tmp, 'first')]);
    await deliver(await urlOf(first), '{"jobId":"came","status":"done"}');
    expect((await exited(first)).code).toBe(0);
    expect(existsSync(store)).toBe(true);

    const out = join(tmp, 'out');
    const cli = capture(['--expect', 'came', 'missing', '--dir', store, '--out', out, '--timeout', '1s']);
    expect((await exited(cli)).code).toBe(124);
    const files = listed(cli);
    expect(files).toHaveLength(1);
    expect((await loadFixture(files[0]!)).job?.id).toBe('came');
    expect(cli.stderr()).toMatch(/timed out after 1s\./);
    expect(cli.stderr()).toMatch(/still waiting for job missing \(pending, no delivery\)/);
    expect(cli.stderr()).not.toMatch(/still waiting for .*job came/);
    expect(cli.stderr()).toMatch(/saved 1 fixture to .*out: 1 delivery \(exit 124\)/);
  });

  it('a job that expires (--job-ttl) before its webhook ends the wait early, as a timeout', TEST, async () => {
    const cli = capture(['--expect', 'slow', '--out', join(await tempDir(), 'out'), '--job-ttl', '1s', '--timeout', '5m']);
    expect((await exited(cli)).code).toBe(124);
    expect(listed(cli)).toEqual([]);
    expect(cli.stderr()).toMatch(/no delivery within --job-ttl: the jobs expired\.\n.*job slow \(expired, no delivery\)/);
  });

  it("a job id the workflow picks, put in the webhook URL's query, matches even when the payload carries the provider's own id", TEST, async () => {
    const out = join(await tempDir(), 'out');
    const cli = capture(['--expect', 'ci-1', '--out', out]);
    const url = await urlOf(cli);
    await deliver(`${url}?jobId=ci-1`, '{"request_id":"prov-9","status":"COMPLETED"}');
    expect((await exited(cli)).code).toBe(0);
    const [file] = listed(cli);
    expect((await loadFixture(file!)).job).toMatchObject({ id: 'ci-1', matchedBy: 'query.jobId', status: 'completed' });
  });

  it('--count n: exits 0 once n requests came, with n fixtures', TEST, async () => {
    const out = join(await tempDir(), 'out');
    const cli = capture(['--count', '2', '--out', out]);
    const url = await urlOf(cli);
    await deliver(url, '{"any":1}');
    await send(url.replace(/\/webhook$/, '/other/path?x=1'), { method: 'PUT', body: 'two', headers: { Authorization: 'Bearer s3cret' } });
    expect((await exited(cli)).code).toBe(0);
    const fixtures = await Promise.all(listed(cli).map((file) => loadFixture(file)));
    expect(fixtures.map((f) => f.url).sort()).toEqual(['/other/path?x=1', '/webhook']);
    expect(cli.stderr()).toMatch(/received PUT \/other\/path 200 \(2 of 2\)/);
    // Owner-only, like the store; and the credential kept in clear is named (never its value).
    for (const file of listed(cli)) expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(cli.stderr()).toContain(
      'hook-catch: note: the files hold the values of Authorization in clear (they are readable by you only); --redact Authorization or --redact-default blanks them.\n',
    );
    expect(cli.stderr()).not.toContain('s3cret');
  });

  it('--json: stdout holds only the ready and done lines', TEST, async () => {
    const out = join(await tempDir(), 'out');
    const cli = capture(['--expect', 'j1', '--out', out, '--json', '--redact', 'X-Secret']);
    const ready = await cli.jsonLine((v) => v.type === 'ready', LONG);
    expect(ready).toMatchObject({ webhookUrl: expect.stringMatching(/\/webhook$/), publicWebhookUrl: null, inspectorUrl: expect.stringMatching(/^http:/) });
    await send(ready.webhookUrl, { method: 'POST', body: '{"jobId":"j1"}', headers: { 'X-Secret': 'hunter2' } });
    expect((await exited(cli)).code).toBe(0);
    const lines = cli
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual(['ready', 'done']);
    expect(lines[1]).toMatchObject({ outcome: 'completed', exitCode: 0, jobs: [{ id: 'j1', status: 'completed', deliveries: 1 }], requests: 1 });
    const fixture = await loadFixture(lines[1].files[0]);
    expect(fixture.redacted).toEqual(['X-Secret']);
    expect(fixture.headers).toContainEqual(['X-Secret', '']);
    expect(cli.stderr()).toMatch(/saved 1 fixture to .* \(blanked: X-Secret\)\./);
  });

  it('Ctrl-C saves what came and exits 130', TEST, async () => {
    const out = join(await tempDir(), 'out');
    const cli = capture(['--count', '5', '--out', out]);
    await deliver(await urlOf(cli), '{"n":1}');
    await cli.printed(/received POST \/webhook 200 \(1 of 5\)/, { stream: 'stderr', timeoutMs: LONG });
    cli.child.kill('SIGINT');
    expect((await exited(cli)).code).toBe(130);
    expect(listed(cli)).toHaveLength(1);
    expect(cli.stderr()).toMatch(/SIGINT: stopped waiting; saving what came\./);
  });

  it('bad usage is one line and exit 1', TEST, async () => {
    const out = join(await tempDir(), 'out');
    for (const args of [
      ['--out', out],
      ['--expect', 'a', '--count', '1', '--out', out],
    ]) {
      const result = await runCli(['capture', ...args, ...LOCAL]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^hook-catch: capture (needs|takes) --expect <job ids…> .*--count <n>.*\n$/);
    }
    expect(existsSync(out)).toBe(false);
    // start's flags, from the same definitions.
    const help = await runCli(['capture', '--help']);
    for (const flag of [
      '--expect',
      '--count',
      '--url-file',
      '--redact-default',
      '--port',
      '--dir',
      '--job-id-path',
      '--forward',
      '--authtoken',
      '--require-tunnel',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });
});
