import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';
import { deliverWithRetries } from './helpers/retrying-sender.js';

// The rules of a provider's worst days as the user makes and reads them: start's flags and
// `rules add` (the same flags), `hook-catch rules`, /api/rules, rules.json, and how a capture they
// answered reads in the terminal, `list` and `jobs <id>`.

const api = (url: string, method: string, path: string, body?: object) =>
  send(`${url}${path}`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body && JSON.stringify(body) });

describe('fail-rate, throttle, gone-after, hang and drop from the command line and the API', () => {
  it('start and `rules add` take the flags; `rules` lists them with the seed picked; a hung and a dropped capture read so in the terminal, `list` and `jobs`', async () => {
    const dir = await tempDir();
    const cli = spawnCli([
      'start',
      '--port',
      '0',
      '--inspector-port',
      '0',
      '--dir',
      dir,
      '--no-tunnel',
      '--fail-rate',
      '25%',
      '--seed',
      '9',
      '--respond-path',
      '/pay',
    ]);
    const [, receiver] = await cli.printed(/Webhook\s+(http:\/\/\S+)\/webhook/);
    expect(cli.stdout()).toMatch(/Rules\s+r1 {2}\/pay {2}25% of requests \(seed 9\) answered 500, then 200 OK/);
    const add = async (...flags: string[]) => {
      const result = await runCli(['rules', 'add', ...flags, '--dir', dir]);
      expect(result.stderr).toBe('');
      return result.stdout.trim();
    };
    expect(await add('--throttle', '429:30s', '--respond-path', '/slow')).toBe('r2  /slow  throttle 429:30s with Retry-After, then 200 OK');
    expect(await add('--gone-after', '100', '--respond-path', '/old')).toBe('r3  /old  200 OK, 410 Gone after 100 requests');
    expect(await add('--hang', '--fail-first', '1', '--respond-path', '/hang')).toBe(
      'r4  /hang  first 1 of each job hung (no answer, closed after 1m), then 200 OK',
    );
    expect(await add('--drop', '--respond-path', '/drop')).toBe('r5  /drop  dropped (closed without an answer)');
    expect(await add('--fail-rate', '10', '--respond-path', '/rate')).toMatch(/^r6 {2}\/rate {2}10% of requests \(seed \d+\) answered 500, then 200 OK$/);
    const listed = JSON.parse((await runCli(['rules', '--json', '--dir', dir])).stdout);
    expect(listed.map((r: { id: string }) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(listed[0]).toMatchObject({ failRate: 25, seed: 9, throttle: null, goneAfter: null, hangMs: 0, drop: false });
    expect(listed[1]).toMatchObject({ throttle: { status: 429, ms: 30_000 } });
    expect(listed[2]).toMatchObject({ goneAfter: { count: 100 } });
    expect(listed[3]).toMatchObject({ hangMs: 60_000, failFirst: 1 });
    expect(listed[4]).toMatchObject({ drop: true });
    expect(listed[5].seed).toEqual(expect.any(Number));
    // The seed picked is the one kept in rules.json, so that the run can be repeated.
    const saved = JSON.parse(await readFile(join(dir, 'rules.json'), 'utf8'));
    expect(saved.rules[5].seed).toBe(listed[5].seed);

    const throttled = await send(`${receiver}/slow`, { method: 'POST', body: '{"jobId":"c-1"}' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('30');
    await cli.printed(/POST\s+\/slow\s+429 .*\(rule r2: 429 Too Many Requests on purpose, Retry-After 30 \(throttle 429:30s\)\)/);

    const hung = await deliverWithRetries(`${receiver}/hang`, '{"jobId":"c-2"}', { timeoutMs: 2000 });
    expect(hung.attempts.map((a) => a.outcome)).toEqual(['timeout', 'answered']);
    await cli.printed(/POST\s+\/hang\s+hung .*\(rule r4: hung on purpose \(no answer, closed after 1m\), delivery 1 of job c-2 \(fail-first 1\)\)/);
    const dropped = await deliverWithRetries(`${receiver}/drop`, '{"jobId":"c-3"}', { maxAttempts: 1 });
    expect(dropped.attempts).toEqual([{ outcome: 'closed' }]);
    await cli.printed(/POST\s+\/drop\s+dropped .*\(rule r5: dropped on purpose \(closed without an answer\)\)/);

    const list = await runCli(['list', '--dir', dir]);
    expect(list.stdout).toMatch(/POST\s+\/drop\s+dropped /);
    expect(list.stdout).toMatch(/POST\s+\/hang\s+hung /);
    const job = await runCli(['jobs', 'c-2', '--dir', dir]);
    expect(job.stdout).toMatch(/webhook #1 +POST \/hang {2}completed {2}no answer: hung \(refused\) {2}\(rule r4: hung on purpose/);
    expect(job.stdout).toMatch(/webhook #2 \(retry 2\) +POST \/hang {2}completed {2}answered 200/);
    const throttledJob = await runCli(['jobs', 'c-1', '--dir', dir]);
    expect(throttledJob.stdout).toMatch(/answered 429 \(refused\) {2}\(rule r2: 429 Too Many Requests on purpose, Retry-After 30 \(throttle 429:30s\)\)/);
    const shown = await runCli(['show', hung.attempts[1]!.id!, '--dir', dir]);
    expect(shown.code).toBe(0);
  });

  it('each bad value is refused in one line naming what to give, from the flags and the API', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const refused = async (...flags: string[]) => {
      const result = await runCli(['rules', 'add', ...flags, '--dir', dir]);
      expect(result.code).toBe(1);
      // One line saying what is wrong (a flag's value is followed by commander's pointer to --help).
      const [line, ...rest] = result.stderr.trim().split('\n');
      expect(rest.filter((l) => l !== '(run with --help for usage)')).toEqual([]);
      return line!;
    };
    expect(await refused('--fail-rate', '0')).toMatch(/--fail-rate takes a percent above 0 and up to 100, such as 30%; got "0"\.$/);
    expect(await refused('--fail-rate', '130%')).toMatch(/--fail-rate takes a percent above 0 and up to 100/);
    expect(await refused('--throttle', '418:1s')).toMatch(/A throttle answers 429 or 503; got 418\.$/);
    expect(await refused('--throttle', '429')).toMatch(/--throttle takes STATUS:DURATION, such as 429:30s or 503:1m; got "429"\.$/);
    expect(await refused('--gone-after', 'soon')).toMatch(/--gone-after takes a count of requests \(100\) or a duration \(30s, 5m\); got "soon"\.$/);
    expect(await refused('--hang', '11m')).toMatch(/--hang takes a duration up to 10m, such as 30s; got "11m"\.$/);
    expect(await refused('--hang', '--drop')).toBe('hook-catch: A rule either hangs or drops the connection: give --hang or --drop, not both.');
    expect(await refused('--seed', '3')).toBe('hook-catch: A seed goes with a fail-rate: add --fail-rate, such as --fail-rate 30%.');
    expect(await refused('--drop', '--respond', '503')).toMatch(
      /A rule that drops every request answers none: leave out the status and body, or add --fail-rate or --fail-first/,
    );
    expect(JSON.parse((await runCli(['rules', '--json', '--dir', dir])).stdout)).toEqual([]);

    const post = async (body: object) => api(hc.inspectorUrl, 'POST', '/api/rules', body);
    const bad = async (body: object) => {
      const reply = await post(body);
      expect(reply.status).toBe(400);
      return json(reply).error as string;
    };
    expect(await bad({ throttle: '429:never' })).toBe('throttle takes STATUS:DURATION, such as 429:30s or 503:1m; got "429:never".');
    expect(await bad({ throttle: 5 })).toBe('A throttle is STATUS:DURATION, such as 429:30s.');
    expect(await bad({ goneAfter: 'x' })).toMatch(/^goneAfter takes a count of requests/);
    expect(await bad({ failRate: '0%' })).toMatch(/^failRate takes a percent above 0/);
    expect(await bad({ seed: 4 })).toBe('A seed goes with a fail-rate: add --fail-rate, such as --fail-rate 30%.');
    expect(await bad({ hang: '1s', drop: true })).toMatch(/either hangs or drops/);
    const made = json(await post({ path: '/p', failRate: '30%', throttle: '503:2s', goneAfter: '1h', hang: 2 }));
    expect(made).toMatchObject({
      path: '/p',
      failRate: 30,
      seed: expect.any(Number),
      throttle: { status: 503, ms: 2000 },
      goneAfter: { ms: 3_600_000 },
      hangMs: 2000,
      drop: false,
    });
    // What GET /api/rules gives can be posted again as it is.
    const { id: _id, createdAt: _at, source: _source, ...again } = made;
    expect(json(await post(again))).toMatchObject({ ...again, id: 'r2' });
    expect(json(await post({ drop: true }))).toMatchObject({ id: 'r3', path: null, drop: true, hangMs: 0 });
    expect(json(await api(hc.inspectorUrl, 'GET', '/api/rules')).items).toHaveLength(3);
  });

  it('rules.json saved before these rules existed still loads: its rules read as having none of them', async () => {
    const dir = await tempDir();
    const old = { id: 'r1', path: null, status: 503, body: null, headers: [], delayMs: 0, failFirst: 1, source: 'api', createdAt: '2026-11-01T00:00:00.000Z' };
    await writeFile(join(dir, 'rules.json'), JSON.stringify({ version: 1, rules: [old] }));
    const hc = await startHookCatch({ dir });
    expect(hc.rules.list()).toEqual([{ ...old, failRate: 0, seed: null, throttle: null, goneAfter: null, hangMs: 0, drop: false }]);
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await send(`${hc.receiverUrl}/x`, { method: 'POST', body: '{"jobId":"o-1"}' })).status);
    expect(statuses).toEqual([500, 503]);
  });
});
