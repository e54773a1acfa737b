import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnCommand, tempDir } from './helpers/index.js';

/** A CommonJS project of a user's, with hook-catch (and Node's types) installed. */
async function commonJsProject(): Promise<string> {
  const project = await tempDir();
  await mkdir(join(project, 'node_modules'));
  await symlink(ROOT, join(project, 'node_modules', 'hook-catch'), 'dir');
  await symlink(join(ROOT, 'node_modules', '@types'), join(project, 'node_modules', '@types'), 'dir');
  await writeFile(join(project, 'package.json'), '{ "type": "commonjs" }\n');
  return project;
}

const SCRIPT = `
const { start } = require('hook-catch');
start({ port: 0, inspectorPort: 0, tunnel: false }).then(async (hc) => {
  const answer = await fetch(hc.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jobId":"cjs-1","status":"completed"}' });
  console.log(answer.status, hc.jobs.get('cjs-1').status);
  await hc.close();
});
`;

const TYPED = `
import { start, type HookCatch } from 'hook-catch';

async function main(): Promise<string> {
  const hc: HookCatch = await start({ port: 0, inspectorPort: 0, tunnel: false });
  await hc.close();
  return hc.webhookUrl;
}
void main();
`;

describe("require('hook-catch'): CommonJS users", () => {
  it('get the library: start(), a webhook, its job, close()', async () => {
    const project = await commonJsProject();
    const run = spawnCommand([process.execPath, '-e', SCRIPT], { cwd: project });
    const { code } = await run.exited;
    expect(run.stderr()).toBe('');
    expect(run.stdout()).toBe('200 completed\n');
    expect(code).toBe(0);
  });

  it('get its types (TypeScript, "module": "nodenext")', { timeout: 60_000 }, async () => {
    const project = await commonJsProject();
    await writeFile(join(project, 'check.cts'), TYPED);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnCommand([process.execPath, tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--types', 'node', 'check.cts'], {
      cwd: project,
    });
    const { code } = await run.exited;
    expect(run.stdout() + run.stderr()).toBe('');
    expect(code).toBe(0);
  });
});
