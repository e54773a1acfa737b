import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { later, ROOT, spawnCommand, tempDir } from './helpers/index.js';

interface Step {
  name: string;
  env: Record<string, string>;
  run: string;
}

/** The steps with a `run: |` script of the GitHub Actions job in docs/fixtures-and-ci.md (the YAML block after `<!-- example: github-actions -->`). */
async function recipeSteps(): Promise<Map<string, Step>> {
  const page = await readFile(join(ROOT, 'docs', 'fixtures-and-ci.md'), 'utf8');
  const at = page.indexOf('<!-- example: github-actions -->');
  const yaml = at === -1 ? undefined : /^```yaml\n([\s\S]*?)```/m.exec(page.slice(at))?.[1];
  if (!yaml?.includes('capture.exit'))
    throw new Error('no GitHub Actions job using capture.exit after <!-- example: github-actions --> in docs/fixtures-and-ci.md');
  const steps = new Map<string, Step>();
  let step: Step | undefined;
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const named = /^\s*- name: (.+)$/.exec(line);
    if (named) steps.set(named[1]!, (step = { name: named[1]!, env: {}, run: '' }));
    else if (/^\s*- /.test(line)) step = undefined;
    if (!step || !/^\s*(env:|run: \|)$/.test(line)) continue;
    // The lines indented deeper than `env:` or `run: |` are its block.
    const indent = /^\s*/.exec(line)![0].length;
    const block: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || /^\s*/.exec(lines[i + 1]!)![0].length > indent)) block.push(lines[++i]!);
    if (/^\s*env:$/.test(line)) {
      // A secret the repository does not have is an empty string in the step's environment.
      for (const entry of block.filter((text) => text.trim())) {
        const [, key, value] = /^\s*(\w+): (.*)$/.exec(entry)!;
        step.env[key!] = /^\$\{\{ secrets\.\w+ \}\}$/.test(value!) ? '' : value!;
      }
    } else {
      const margin = /^\s*/.exec(block[0]!)![0].length;
      step.run =
        block
          .map((entry) => entry.slice(margin))
          .join('\n')
          .trimEnd() + '\n';
    }
  }
  return steps;
}

/** `text` with `from` replaced by `to`, which must be there (the test and the docs cannot drift apart). */
function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the recipe no longer has ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** A user's repository after `npm ci`: hook-catch in its devDependencies. */
async function userProject(): Promise<string> {
  const project = await tempDir();
  await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
  await symlink(ROOT, join(project, 'node_modules', 'hook-catch'), 'dir');
  await symlink('../hook-catch/bin/hook-catch.js', join(project, 'node_modules', '.bin', 'hook-catch'));
  await writeFile(join(project, 'package.json'), '{ "private": true, "devDependencies": { "hook-catch": "file:hook-catch" } }\n');
  return project;
}

/**
 * The provider the recipe submits to, on a local port: takes a job (`{"input","webhook_url"}`),
 * answers with its own id, then POSTs the webhook (`{"id","status"}`) to the URL it was given,
 * with the status `outcome` names for the input (none: that job never ends).
 */
async function fakeProvider(outcome: (input: string) => string | undefined): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string; webhook_url: string };
      const id = `prov-${++n}`;
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id, status: 'queued' }));
      const status = outcome(job.input);
      if (status) void fetch(job.webhook_url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id, status }) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs a step as GitHub Actions does on Linux: its script in a file, `bash -e <file>`, in the checkout. */
async function runStep(project: string, step: Step, script = step.run) {
  const file = join(await tempDir(), 'step.sh');
  await writeFile(file, script);
  // No npm look-up leaves the machine (hook-catch is installed); no ngrok token is found (empty HOME).
  const env = { GITHUB_ACTIONS: 'true', CI: 'true', npm_config_offline: 'true', npm_config_update_notifier: 'false', ...step.env };
  const bash = spawnCommand(['bash', '-e', file], { cwd: project, env });
  const { code } = await bash.exited;
  return { code, output: bash.stdout() + bash.stderr() };
}

/** The first step, on free ports (no test takes a fixed one), with capture's timeout and tunnel as the test needs. */
function startScript(step: Step, { timeout, tunnel }: { timeout?: string; tunnel: 'required' | 'local' }): string {
  let script = swap(step.run, 'npx hook-catch capture ', 'npx hook-catch capture --port 0 --inspector-port 0 ');
  if (timeout) script = swap(script, '--timeout 10m', `--timeout ${timeout}`);
  // No test dials out, so there is no tunnel: capture runs local-only and the provider posts to it.
  if (tunnel === 'local') script = swap(script, ' --require-tunnel', '');
  return script;
}

/** Start, submit (to the local provider), wait: the job's three steps in order. */
async function runJob(outcome: (input: string) => string | undefined, timeout: string) {
  const steps = await recipeSteps();
  const [startStep, submit, wait] = ['Start capturing (in the background)', 'Submit the jobs', 'Wait for the webhooks'].map((name) => steps.get(name)!);
  const project = await userProject();
  const started = await runStep(project, startStep!, startScript(startStep!, { timeout, tunnel: 'local' }));
  expect(started.code, started.output).toBe(0);
  const submitted = await runStep(project, submit!, swap(submit!.run, 'https://api.provider.example', await fakeProvider(outcome)));
  expect(submitted.code, submitted.output).toBe(0);
  // The last step waits for capture to end; here capture's own --timeout ends it well before this.
  const waited = await runStep(project, wait!, swap(wait!.run, 'timeout 11m', 'timeout 90s'));
  return { project, waited, exitFile: (await readFile(join(project, 'capture.exit'), 'utf8')).trim() };
}

const fixturesOf = async (project: string) => (existsSync(join(project, 'test', 'fixtures')) ? readdir(join(project, 'test', 'fixtures')) : []);

describe('the GitHub Actions job of docs/fixtures-and-ci.md, run as Actions runs it (bash -e, GITHUB_ACTIONS=true)', () => {
  it('without an ngrok token the first step fails at once, saying why, with capture.exit written', { timeout: 120_000 }, async () => {
    const steps = await recipeSteps();
    const step = steps.get('Start capturing (in the background)')!;
    expect(step.env).toEqual({ NGROK_AUTHTOKEN: '' });
    const project = await userProject();
    const started = await runStep(project, step, startScript(step, { tunnel: 'required' }));
    expect(started.code).not.toBe(0);
    expect(started.output).toMatch(/hook-catch: --require-tunnel: No ngrok authtoken found/);
    expect((await readFile(join(project, 'capture.exit'), 'utf8')).trim()).toBe('1');
    expect(existsSync(join(project, 'webhook-url'))).toBe(false);
  });

  it('every job completed: the last step passes (exit 0), the fixtures are saved', { timeout: 150_000 }, async () => {
    const { project, waited, exitFile } = await runJob(() => 'completed', '60s');
    expect(waited.code, waited.output).toBe(0);
    expect(exitFile).toBe('0');
    expect(await fixturesOf(project)).toHaveLength(2);
  });

  it("a job failed: the last step fails with capture's exit code 3, and both fixtures are saved", { timeout: 150_000 }, async () => {
    const { project, waited, exitFile } = await runJob((input) => (input.includes('long') ? 'failed' : 'completed'), '60s');
    expect(waited.code, waited.output).toBe(3);
    expect(waited.output).toMatch(/job long failed \(the payload says "failed"\)/);
    expect(exitFile).toBe('3');
    expect(await fixturesOf(project)).toHaveLength(2);
  });

  it("a job never ends: capture's --timeout ends it, the last step prints its log and fails with 124", { timeout: 150_000 }, async () => {
    const { project, waited, exitFile } = await runJob((input) => (input.includes('long') ? undefined : 'completed'), '5s');
    expect(waited.code, waited.output).toBe(124);
    expect(exitFile).toBe('124');
    // capture itself timed out (and said which job it still waited for), not the step's own timeout.
    expect(waited.output).toMatch(/timed out after 5s\.[\s\S]*still waiting for job long \(/);
    expect(await fixturesOf(project)).toHaveLength(1);
  });
});
