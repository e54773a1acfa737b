import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, spawnCli, spawnCommand, tempDir } from './helpers/index.js';
import { seedApp } from './helpers/seed-app.js';
import { seedProvider } from './helpers/seed-providers.js';

// The README's worked example of the provider double, run as written in a project of a user's:
// `hook-catch start --provider … --rewrite-webhook-url` (pointed at a fake of the AI API on a local
// port instead of api.example.com, on free ports) with an app recording one job, then the export
// line as it stands, then the vitest file, which plays the provider back with no provider running.

/** The code block that follows `<!-- example: <name> -->` in the README. */
async function readmeExample(name: string): Promise<string> {
  const page = await readFile(join(ROOT, 'README.md'), 'utf8');
  const at = page.indexOf(`<!-- example: ${name} -->`);
  const block = /```\w*\n([\s\S]*?)```/.exec(page.slice(at));
  if (at === -1 || !block) throw new Error(`no "${name}" example in README.md`);
  return block[1]!;
}

/** The `npx hook-catch …` line of a block, as the CLI's arguments. */
function hookCatchArgs(block: string): string[] {
  const line = block.split('\n').find((l) => l.startsWith('npx hook-catch '));
  if (!line) throw new Error(`no npx hook-catch line in:\n${block}`);
  return line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
}

describe("the README's provider double example", () => {
  it('records a job through the provider port, exports it, and the vitest file plays it back offline', { timeout: 180_000 }, async () => {
    const project = await tempDir();
    const provider = await seedProvider('ai');
    // 1. Record, as the README says, with the fake provider in place of https://api.example.com.
    const recordArgs = hookCatchArgs(await readmeExample('provider-double-record'));
    expect(recordArgs).toEqual(['start', '--provider', 'https://api.example.com', '--rewrite-webhook-url']);
    recordArgs[2] = provider.url;
    const hc = spawnCli([...recordArgs, '--no-tunnel', '--port', '0', '--inspector-port', '0', '--provider-port', '0'], { cwd: project });
    const [, providerUrl] = await hc.printed(/Provider\s+(http:\/\/127\.0\.0\.1:\d+)/);
    const app = await seedApp('ai', { apiBase: providerUrl! });
    const { jobId } = await app.submit();
    await app.poll(jobId!);
    await provider.complete(jobId!, 'success');
    await app.waitForWebhooks(1);
    const waited = spawnCommand([process.execPath, BIN, 'wait', jobId!, '--timeout', '30s'], { cwd: project });
    expect((await waited.exited).code, waited.stderr()).toBe(0);
    hc.child.kill('SIGINT');
    expect((await hc.exited).code).toBe(0);
    await provider.close();

    // 2. Export, as written, in the project.
    const exportArgs = hookCatchArgs(await readmeExample('provider-double-export'));
    const exported = spawnCommand([process.execPath, BIN, ...exportArgs], { cwd: project });
    expect((await exported.exited).code, exported.stderr()).toBe(0);
    expect(exported.stdout()).toContain(join('test', 'scenarios', `${jobId}.scenario.json`));

    // 3. The vitest file, as written, with hook-catch and vitest installed in the project.
    await mkdir(join(project, 'node_modules'), { recursive: true });
    await symlink(ROOT, join(project, 'node_modules', 'hook-catch'), 'dir');
    await symlink(join(ROOT, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(project, 'test', 'transcribe.test.ts'), await readmeExample('provider-double-test'));
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const run = spawnCommand([process.execPath, vitest, 'run', '--root', project], { cwd: project });
    const { code } = await run.exited;
    expect(run.stdout() + run.stderr()).toMatch(/Tests\s+1 passed/);
    expect(code).toBe(0);
  });
});
