import { existsSync } from 'node:fs';
import { appendFile, cp, readFile, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, ROOT, send, spawnCommand, tempDir } from './helpers/index.js';

/** What a clone holds that building and running hook-catch needs, without dist/; node_modules as `npm install` left it. */
async function clone(): Promise<string> {
  const dir = await tempDir();
  for (const entry of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'bin', 'scripts', 'schema', 'src', 'web']) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** npm, kept off the network (everything it needs is in the local cache) and quiet about itself. */
const NPM_ENV = {
  npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

async function run(command: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawnCommand(command, { cwd, env });
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

const hookCatch = (checkout: string, ...args: string[]) => run([process.execPath, join(checkout, 'bin', 'hook-catch.js'), ...args], checkout);

describe('a clone runs hook-catch from its sources', () => {
  it('the first run builds dist/, saying so in one line on stderr; later runs do not, until a source changes', { timeout: 120_000 }, async () => {
    const checkout = await clone();
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const first = await hookCatch(checkout, '--version');
    expect(first.stderr).toMatch(/^hook-catch: building hook-catch from its sources into dist\/ \(the first run in this clone\); a few seconds…\n$/);
    expect(first.stdout).toBe(`${version}\n`);
    expect(first.code).toBe(0);
    expect(await hookCatch(checkout, '--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });

    // An edit (or a pull) makes its output stale: the next run builds again, and says which file.
    await appendFile(join(checkout, 'src', 'version.ts'), '// edited\n');
    const again = await hookCatch(checkout, '--version');
    expect(again.stderr).toMatch(/^hook-catch: building .* \(src\/version\.ts changed since the last build\)/);
    expect(again.code).toBe(0);

    // What it built serves: the receiver takes a webhook, the inspector its page.
    const start = spawnCommand(
      [process.execPath, join(checkout, 'bin', 'hook-catch.js'), 'start', '--port', '0', '--inspector-port', '0', '--no-tunnel', '--json'],
      { cwd: checkout },
    );
    const ready = await start.jsonLine<{ webhookUrl: string; inspectorUrl: string }>((line) => line.type === 'ready');
    expect((await send(ready.webhookUrl, { method: 'POST', body: '{"jobId":"clone-1"}' })).status).toBe(200);
    expect((await send(ready.inspectorUrl)).body.toString()).toMatch(/<html/i);
    expect(json(await send(`${ready.inspectorUrl}/api/requests`)).items).toHaveLength(1);
    expect(start.stderr()).toBe('');
  });
});

/**
 * A project that installs the tarball. Offline, npm resolves its dependencies only from a lock
 * file, so the project gets one made of hook-catch's own (its dependencies, not its devDependencies).
 */
async function installingProject(packed: string, filename: string): Promise<string> {
  const project = await tempDir();
  await cp(join(packed, filename), join(project, filename));
  const tarball = `./${filename}`;
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: object; bin: object };
  const dependencies = { 'hook-catch': `file:${tarball}` };
  const packages: Record<string, object> = {
    '': { name: 'app', dependencies },
    'node_modules/hook-catch': { version: manifest.version, resolved: `file:${tarball}`, dependencies: manifest.dependencies, bin: manifest.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path && !entry.dev) packages[path] = entry;
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies }));
  await writeFile(join(project, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }));
  return project;
}

describe('the npm package', () => {
  it('npm pack builds and ships dist/; the tarball installs (offline) with no build script and runs', { timeout: 300_000 }, async () => {
    const checkout = await clone();
    const packed = await run(['npm', 'pack', '--json', '--pack-destination', checkout], checkout, NPM_ENV);
    expect(packed.code, packed.stderr).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[$/m))) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['bin/hook-catch.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/program.js', 'dist/web/index.html', 'dist/web/main.js']),
    );
    expect(paths.filter((path) => /^(src|scripts|test|web)\//.test(path))).toEqual([]);

    const project = await installingProject(checkout, filename);
    const installed = await run(['npm', 'install', `./${filename}`], project, NPM_ENV);
    expect(installed.code, installed.stderr).toBe(0);
    // npm 11 warns about a package's install scripts (a `prepare` among them): there is none.
    expect(installed.stdout + installed.stderr).not.toMatch(/install-scripts|prepare/);
    const { scripts = {} } = JSON.parse(await readFile(join(project, 'node_modules', 'hook-catch', 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    expect(Object.keys(scripts).filter((name) => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([]);
    expect(existsSync(join(project, 'node_modules', 'hook-catch', 'src'))).toBe(false);

    const version = await run(['npx', 'hook-catch', '--version'], project, NPM_ENV);
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });
});
