import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, send, spawnCommand, startHookCatch, tempDir } from './helpers/index.js';

// The quick commands load only what they need: the module loader's hooks (helpers/loads/) write down
// every module a command imports, so a command that loads the server, the whole store or a heavy
// package for nothing fails here, without any test timing anything.

const RECORDER = fileURLToPath(new URL('./helpers/loads/record.mjs', import.meta.url));

/** The packages only a running instance, a check, a signature or the MCP server needs: no quick command loads one. */
const HEAVY_PACKAGES = [
  'express',
  'ws',
  'ajv',
  'ajv-formats',
  'yaml',
  '@ngrok/ngrok',
  'lowdb',
  'standardwebhooks',
  '@octokit/webhooks-methods',
  '@modelcontextprotocol/sdk',
  'zod',
];

/** Parts of hook-catch no quick command needs: the server and its parts, the jobs, the schemes, the checks, the MCP server. */
const HEAVY_PARTS =
  /^dist\/(start|servers|options|inspector\/|receiver\/|provider\/|forward\/|jobs\/(registry|offline)|signatures\/schemes|schema-check\/|drift\/|mock\/|mcp\/)/;

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** hook-catch's own files, below the package: `dist/cli/program.js`. */
  files: string[];
  /** The packages loaded, by name. */
  packages: string[];
  /** Node's built-in modules loaded beyond those a script that imports node:http loads. */
  builtins: string[];
}

/** Runs `node <args>` with the recorder preloaded; what it printed, and what it loaded. */
async function recorded(args: string[]) {
  const out = join(await tempDir(), 'loads.txt');
  const child = spawnCommand([process.execPath, '--import', RECORDER, ...args], { env: { RECORD_LOADS: out } });
  const { code } = await child.exited;
  const lines = (await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stdout: child.stdout(), stderr: child.stderr(), lines };
}

let baseline: Promise<Set<string>> | undefined;
/**
 * The built-in modules Node (and the recorder) load for a script that imports node:http, as every
 * quick command does: on Node 22 and later, importing node:http as a module loads fetch's client
 * (undici) by itself, which is Node's doing, not the command's.
 */
const emptyScriptBuiltins = () =>
  (baseline ??= recorded(['--input-type=module', '-e', "import 'node:http';"]).then(
    ({ lines }) => new Set(lines.filter((line) => line.startsWith('builtin '))),
  ));

/** Runs hook-catch (bin/hook-catch.js, as a user does) with `args`. */
async function loadsOf(args: string[]): Promise<Loaded> {
  const [{ code, stdout, stderr, lines }, empty] = await Promise.all([recorded([BIN, ...args]), emptyScriptBuiltins()]);
  const urls = lines.filter((line) => line.startsWith('file:')).map((url) => fileURLToPath(url));
  const packages = urls.flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? []);
  const files = urls.filter((path) => path.startsWith(ROOT) && !path.includes('/node_modules/')).map((path) => path.slice(ROOT.length).replaceAll('\\', '/'));
  const builtins = lines.filter((line) => line.startsWith('builtin ') && !empty.has(line)).map((line) => line.slice('builtin '.length));
  return { code, stdout, stderr, files, packages: [...new Set(packages)], builtins };
}

/** What a quick command loaded that it should not have: a heavy package, a heavy part, fetch's client. */
function needless(loaded: Loaded): string[] {
  return [
    ...loaded.packages.filter((name) => HEAVY_PACKAGES.includes(name)),
    ...loaded.files.filter((file) => HEAVY_PARTS.test(file)),
    ...loaded.builtins.filter((name) => /undici/.test(name)),
  ];
}

/** The store's modules loaded beyond those that read instance.json (and check that its process runs). */
const storeBeyondInstanceFile = (loaded: Loaded) =>
  loaded.files.filter((file) => file.startsWith('dist/store/') && !/\/(instance-file|files|alive)\.js$/.test(file));

// Several CLI runs each: on a busy shared machine they get more time than the default.
describe('what a quick command loads', { timeout: 120_000 }, () => {
  it('--version loads nothing of hook-catch but its package.json, and no package', async () => {
    for (const flag of ['--version', '-v']) {
      const loaded = await loadsOf([flag]);
      expect(loaded.code).toBe(0);
      expect(loaded.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
      expect(loaded.files.filter((file) => file.startsWith('dist/'))).toEqual([]);
      expect(loaded.packages).toEqual([]);
    }
  });

  it("--help loads each command's flags, not what any command does", async () => {
    const loaded = await loadsOf(['--help']);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('Examples:');
    expect(loaded.packages).toEqual(['commander']);
    expect(needless(loaded)).toEqual([]);
    // What a command does is in commands/<name>.ts; its flags and help in commands/<name>-command.ts.
    const commands = loaded.files.filter((file) => file.startsWith('dist/cli/commands/'));
    expect(commands.filter((file) => file.endsWith('-command.js'))).toHaveLength(19);
    expect(commands.filter((file) => !/-(command|exit)\.js$/.test(file))).toEqual([]);
  });

  it('mcp --help loads its flags, not the MCP server nor its SDK', async () => {
    const loaded = await loadsOf(['mcp', '--help']);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('claude mcp add hook-catch -- npx hook-catch mcp --start');
    expect(loaded.packages).toEqual(['commander']);
    expect(needless(loaded)).toEqual([]);
  });

  it('expect and wait (on a job already done) talk to the running instance, and load neither the store nor fetch', async () => {
    const hc = await startHookCatch();
    const delivered = await send(`${hc.receiverUrl}/webhook`, {
      method: 'POST',
      body: '{"jobId":"loads-1","status":"completed"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(delivered.status).toBe(200);

    const waited = await loadsOf(['wait', 'loads-1', '--dir', hc.dir]);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe('{"jobId":"loads-1","status":"completed"}');
    expect(needless(waited)).toEqual([]);
    expect(storeBeyondInstanceFile(waited)).toEqual([]);

    const expected = await loadsOf(['expect', 'loads-2', '--dir', hc.dir]);
    expect(expected.code).toBe(0);
    expect(expected.stdout).toMatch(/^Expecting job loads-2; expires in /);
    expect(needless(expected)).toEqual([]);
    expect(storeBeyondInstanceFile(expected)).toEqual([]);
    expect(hc.jobs.get('loads-2')?.source).toBe('expect');
  });

  it('list -n 1 and show last --body read the store, and load nothing else: show last --body only the end of the log', async () => {
    const hc = await startHookCatch();
    const body = '{"jobId":"loads-3","status":"completed"}';
    expect((await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })).status).toBe(200);
    await hc.close();

    const listed = await loadsOf(['list', '-n', '1', '--dir', hc.dir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/ POST +\/webhook +200 /);
    expect(needless(listed)).toEqual([]);
    expect(listed.files.filter((file) => file.startsWith('dist/jobs/'))).toEqual([]);

    const shown = await loadsOf(['show', 'last', '--body', '--dir', hc.dir]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(body);
    expect(needless(shown)).toEqual([]);
    expect(shown.packages).toEqual(['commander']);
    expect(shown.files.filter((file) => /^dist\/(jobs\/|store\/request-log)/.test(file))).toEqual([]);
  });
});
