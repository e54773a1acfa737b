import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnCommand, tempDir } from './helpers/index.js';

/** The code block that follows `<!-- example: <name> -->` in docs/library.md. */
async function libraryExample(name: string): Promise<string> {
  const page = await readFile(join(ROOT, 'docs', 'library.md'), 'utf8');
  const at = page.indexOf(`<!-- example: ${name} -->`);
  const block = /```ts\n([\s\S]*?)```/.exec(page.slice(at));
  if (at === -1 || !block) throw new Error(`no "${name}" example in docs/library.md`);
  return block[1]!;
}

describe("the library's vitest example (docs/library.md)", () => {
  it('runs as written, with two copies in parallel (each start() gets a store of its own)', async () => {
    const code = await libraryExample('vitest');
    // A project of a user's: the example as two test files, hook-catch and vitest installed.
    const project = await tempDir();
    await mkdir(join(project, 'node_modules'));
    await mkdir(join(project, 'test'));
    await symlink(ROOT, join(project, 'node_modules', 'hook-catch'), 'dir');
    await symlink(join(ROOT, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(project, 'test', 'webhook.test.ts'), code);
    await writeFile(join(project, 'test', 'webhook-again.test.ts'), code);
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const run = spawnCommand([process.execPath, vitest, 'run', '--root', project], { cwd: project });
    const { code: exit } = await run.exited;
    expect(run.stdout() + run.stderr()).toMatch(/Test Files\s+2 passed/);
    expect(exit).toBe(0);
  }, 120_000);
});
