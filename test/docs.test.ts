import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Every fenced code block of README.md and docs/*.md is run or checked here. What a block is
// decides how: the HTML comment on the line above it (`<!-- run -->`, `<!-- not run: why -->`,
// `<!-- output -->`, `<!-- example: name -->`, `<!-- map: … -->`, `<!-- file: name -->`), or its language (ts, json).
// A `file:` block is a file the user writes (a spec): it is put, under its name, where each run block
// of the same page runs, before hook-catch starts.
// A block with neither fails the test: none is skipped in silence.
// (Self-contained on purpose: it reads the docs, runs the built CLI, and needs no test helper.)

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'hook-catch.js');

interface Block {
  file: string;
  line: number;
  lang: string;
  marker: string;
  code: string;
}

/** The fenced blocks of one markdown file, each with the comment on the line above it (if any). */
function blocksOf(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, lang] = open;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`${file}:${i + 1}: a code block that never closes`);
    let above = i - 1;
    while (above >= 0 && lines[above]!.trim() === '') above--;
    const marker = /^\s*<!--\s*(.*?)\s*-->\s*$/.exec(lines[above] ?? '')?.[1] ?? '';
    const code =
      lines
        .slice(i + 1, end)
        .map((line) => line.slice(Math.min(indent!.length, /^\s*/.exec(line)![0].length)))
        .join('\n') + '\n';
    blocks.push({ file, line: i + 1, lang: lang!, marker, code });
    i = end;
  }
  return blocks;
}

const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const BLOCKS = (await Promise.all(DOCS.map(async (file) => blocksOf(file, await readFile(join(ROOT, file), 'utf8'))))).flat();
const where = (block: Block) => `${block.file}:${block.line}`;

/** The examples another test file runs as written, and the file that runs each. */
const RUN_ELSEWHERE: Record<string, string> = {
  vitest: 'test/readme-example.test.ts',
  'github-actions': 'test/ci-recipe.test.ts',
  'provider-double-record': 'test/provider-double-example.test.ts',
  'provider-double-export': 'test/provider-double-example.test.ts',
  'provider-double-test': 'test/provider-double-example.test.ts',
};

type Kind = 'run' | 'checked' | 'ts' | 'json' | 'elsewhere' | 'map' | 'file';

/** How a block is tested, or undefined when nothing handles it. */
function kindOf(block: Block): Kind | undefined {
  const { lang, marker } = block;
  if (lang === 'sh' && /^run(, started as: hook-catch start( .*)?)?$/.test(marker)) return 'run';
  if (lang === 'sh' && /^not run: \S/.test(marker)) return 'checked';
  if (lang === 'text' && marker === 'output') return 'checked';
  if (lang === 'text' && marker.startsWith('map:')) return 'map';
  if (/^file: [\w.-]+$/.test(marker)) return 'file';
  const example = /^example: ([\w-]+)$/.exec(marker)?.[1];
  if (example && RUN_ELSEWHERE[example]) return 'elsewhere';
  if (lang === 'ts' && !marker) return 'ts';
  if (lang === 'json' && !marker) return 'json';
  return undefined;
}

const ofKind = (kind: Kind) => BLOCKS.filter((block) => kindOf(block) === kind);

// ---------- the CLI's own word on its commands and flags ----------

const helps = new Map<string, Promise<string>>();

/** `hook-catch <command…> --help`, once per command. */
function helpOf(command: string[]): Promise<string> {
  const key = command.join(' ');
  if (!helps.has(key)) {
    helps.set(
      key,
      runProcess(process.execPath, [BIN, ...command, '--help'], { cwd: ROOT }).then(({ code, stdout, stderr }) => {
        if (code !== 0) throw new Error(`hook-catch ${key} --help exited ${code}: ${stderr}`);
        return stdout;
      }),
    );
  }
  return helps.get(key)!;
}

/** Each `hook-catch <command> …` in a text, as the command's words and the long flags it is given. */
function invocations(text: string): { command: string[]; flags: string[] }[] {
  const joined = text.replace(/\\\n/g, ' ');
  const found: { command: string[]; flags: string[] }[] = [];
  for (const match of joined.matchAll(/(?:^|[\s($`'"])hook-catch ([a-z]+)((?:[^\n|;&#)]|&(?!&))*)/g)) {
    const rest = match[2]!;
    const sub = /^ (add|remove|clear)\b/.exec(rest)?.[1];
    const command = match[1] === 'rules' && sub ? ['rules', sub] : [match[1]!];
    // A flag is a word that starts with --, outside quotes (a quoted '--x' is a value).
    const flags = [...rest.replace(/'[^']*'|"[^"]*"/g, '').matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*)/g)].map((flag) => flag[1]!);
    found.push({ command, flags });
  }
  return found;
}

/** Why the commands and flags a block names are not all hook-catch's, or nothing. */
async function unknownWords(block: Block): Promise<string[]> {
  const problems: string[] = [];
  const commands = await helpOf([]);
  // A shell comment is prose (`# 3. Tell hook-catch about the job`), not a command.
  const text = block.lang === 'sh' ? block.code.replace(/(^|\s)#.*$/gm, '$1') : block.code;
  for (const { command, flags } of invocations(text)) {
    if (!new RegExp(`^  ${command[0]} `, 'm').test(commands)) {
      problems.push(`${where(block)}: hook-catch has no command "${command[0]}"`);
      continue;
    }
    const help = await helpOf(command);
    for (const flag of flags)
      if (!new RegExp(`(^|[ ,])${flag}\\b(?!-)`, 'm').test(help)) problems.push(`${where(block)}: hook-catch ${command.join(' ')} has no flag ${flag}`);
  }
  return problems;
}

// ---------- processes ----------

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-docs-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An environment with no ngrok token to find (no NGROK_AUTHTOKEN, a HOME of its own): nothing dials out. */
async function quietEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: await tempDir(), NO_COLOR: '1', npm_config_offline: 'true' };
  delete env.NGROK_AUTHTOKEN;
  return env;
}

/** Kills a child's whole process group (what a script started in the background goes with it). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Runs a command to its end (killed after `timeoutMs`, said in stderr), its output collected. */
function runProcess(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    stderr += `\n[killed by the test after ${options.timeoutMs} ms]`;
    killGroup(child);
  }, options.timeoutMs ?? 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Instance {
  receiver: string;
  inspector: string;
}

/** `hook-catch start` on free ports, local-only, in `cwd` (so the other commands find it there), with the block's own flags. */
async function startHookCatch(cwd: string, env: NodeJS.ProcessEnv, flags: string[]): Promise<Instance> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--inspector-port', '0', '--no-tunnel', '--json', ...flags], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  cleanups.push(async () => {
    killGroup(child, 'SIGTERM');
    await exited;
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<Instance>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { type: string; receiverUrl: string; inspectorUrl: string };
        if (event.type === 'ready') resolve({ receiver: event.receiverUrl.replace('http://', ''), inspector: event.inspectorUrl.replace('http://', '') });
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.on('close', (code) => reject(new Error(`hook-catch start ${flags.join(' ')} exited ${code} before it was ready: ${stderr}`)));
  });
}

/** "Your app" of the examples: answers every request 200 `{"received":true}`. */
async function yourApp(): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A provider's status endpoint, stood in for on `localhost:9000`: every job it is asked about is done, `{"jobId","status":"Completed"}`. */
async function providerStatus(): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    const jobId = decodeURIComponent(new URL(req.url!, 'http://x').pathname.split('/').pop()!);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jobId, status: 'Completed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// ---------- shell blocks, run ----------

/**
 * A shell block as a bash script: its commands (in a `$ ` transcript, only the lines after `$ `),
 * with `hook-catch start` taken out (the test starts it, with its flags) and `hook-catch wait` run
 * in the background (a later command makes the delivery it waits for), awaited at the end.
 */
function scriptOf(code: string): { script: string; startFlags: string[] | undefined; exported: Record<string, string> } {
  const lines = code.replace(/\\\n/g, ' ').split('\n');
  const transcript = lines.some((line) => line.startsWith('$ '));
  const commands = (transcript ? lines.filter((line) => line.startsWith('$ ')).map((line) => line.slice(2)) : lines).filter(
    (line) => line.trim() && !line.trim().startsWith('#'),
  );
  let startFlags: string[] | undefined;
  // What the block exports, `start` (which the test runs) is given too: `--verify 'hmac-sha256:$SECRET'`.
  const exported: Record<string, string> = {};
  const script = commands.map((command) => {
    const variable = /^export (\w+)=(\S*)/.exec(command);
    if (variable) exported[variable[1]!] = variable[2]!;
    const start = /^(?:npx )?hook-catch start\b([^#]*)/.exec(command);
    if (start) {
      if (startFlags !== undefined) throw new Error('a block with two `hook-catch start`s');
      startFlags = shellWords(start[1]!);
      return '';
    }
    if (/^(?:npx )?hook-catch wait\b/.test(command)) return `${command.replace(/\s#.*$/, '')} &\n__waits+=($!)`;
    return command;
  });
  return { script: script.filter(Boolean).join('\n'), startFlags, exported };
}

/** The words of a command line as the shell splits them (quotes removed; no expansion: '$NAME' stays). */
const shellWords = (line: string) => [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((word) => word[1] ?? word[2] ?? word[3]!);

const PREAMBLE = `set -eo pipefail
hook-catch() { "$HC_NODE" "$HC_BIN" "$@"; }
npx() { if [ "$1" = hook-catch ]; then shift; "$HC_NODE" "$HC_BIN" "$@"; else echo "npx $1 is not part of the docs" >&2; return 127; fi; }
__waits=()
`;
// biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${...}, not JavaScript's
const EPILOGUE = '\nfor __wait in "${__waits[@]}"; do wait "$__wait"; done\n';

/** The name a `<!-- file: name -->` block is written under. */
const fileName = (block: Block) => /^file: (.+)$/.exec(block.marker)![1]!;

/** The files an example names as if they were the user's: a body to send instead of a capture's. */
async function userFiles(cwd: string) {
  await writeFile(join(cwd, 'failed.json'), '{"jobId":"a9199e4e","status":"failed"}\n');
}

describe('the docs: every code block is run or checked', () => {
  it('every block has a handling (a marker comment above it, or a language the test runs)', () => {
    const unhandled = BLOCKS.filter((block) => !kindOf(block)).map(
      (block) => `${where(block)}: \`\`\`${block.lang} ${block.marker ? `<!-- ${block.marker} -->` : '(no marker)'}`,
    );
    expect(unhandled).toEqual([]);
    // The README's first screen keeps its two commands and its worked example, which runs.
    expect(BLOCKS.filter((block) => block.file === 'README.md' && kindOf(block) === 'run')).toHaveLength(1);
  });

  describe.each(ofKind('run').map((block) => [where(block), block] as const))('%s runs against a real hook-catch', (_, block) => {
    it('every command exits 0 (a `wait` too, once the delivery it waits for came)', { timeout: 180_000 }, async () => {
      const cwd = await tempDir();
      const env = await quietEnv();
      const app = await yourApp();
      const provider = await providerStatus();
      await userFiles(cwd);
      for (const file of ofKind('file').filter((f) => f.file === block.file)) await writeFile(join(cwd, fileName(file)), file.code);
      const { script, startFlags, exported } = scriptOf(block.code);
      const markerFlags = /^run, started as: hook-catch start ?(.*)$/.exec(block.marker)?.[1];
      const flags = (startFlags ?? shellWords(markerFlags ?? '')).map((word) => word.replaceAll('localhost:3000', app));
      const hc = await startHookCatch(cwd, { ...env, ...exported }, flags);
      // A webhook of job a9199e4e is already in the store, as the examples that replay, deliver or export assume.
      await fetch(`http://${hc.receiver}/webhook`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"jobId":"a9199e4e","status":"Completed"}',
      });
      const pointed = script
        .replace(/(localhost|127\.0\.0\.1):8080/g, hc.receiver)
        .replace(/(localhost|127\.0\.0\.1):4040/g, hc.inspector)
        .replace(/localhost:3000/g, app)
        .replace(/localhost:9000/g, provider);
      const file = join(cwd, '.block.sh');
      await writeFile(file, PREAMBLE + pointed + EPILOGUE);
      const run = await runProcess('bash', [file], { cwd, env: { ...env, HC_NODE: process.execPath, HC_BIN: BIN }, timeoutMs: 150_000 });
      expect(run.code, `${where(block)}\n--- script\n${pointed}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`).toBe(0);
    });
  });

  it('blocks that are not run as written, and output shown, name only commands and flags hook-catch has', { timeout: 120_000 }, async () => {
    const checked = [...ofKind('checked'), ...ofKind('run')];
    expect(checked.length).toBeGreaterThan(0);
    const problems = (await Promise.all(checked.map(unknownWords))).flat();
    expect(problems).toEqual([]);
  });

  it("docs/cli.md names every command, and every flag each command's --help lists", { timeout: 120_000 }, async () => {
    const page = await readFile(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const commands = [...(await helpOf([])).matchAll(/^ {2}([a-z]+) /gm)].map((match) => match[1]!).filter((name) => name !== 'help');
    expect(commands.length).toBeGreaterThan(10);
    await Promise.all(commands.map((command) => helpOf([command])));
    const missing: string[] = [];
    for (const command of commands) {
      if (!page.includes(`hook-catch ${command}`)) missing.push(`hook-catch ${command}`);
      const flags = new Set((await helpOf([command])).match(/--[a-z][a-z0-9-]*/g));
      for (const flag of flags) if (!new RegExp(`${flag}\\b(?!-)`).test(page)) missing.push(`hook-catch ${command} ${flag}`);
    }
    expect(missing).toEqual([]);
  });

  it('the TypeScript blocks type-check against the built package, and those not run elsewhere run', { timeout: 180_000 }, async () => {
    const blocks = [...ofKind('ts'), ...ofKind('elsewhere').filter((block) => block.lang === 'ts')];
    expect(blocks.length).toBeGreaterThan(0);
    // A project of a user's: hook-catch and vitest installed, strict TypeScript.
    const project = await tempDir();
    await mkdir(join(project, 'node_modules', '@types'), { recursive: true });
    await symlink(ROOT, join(project, 'node_modules', 'hook-catch'), 'dir');
    await symlink(join(ROOT, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
    await symlink(join(ROOT, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
    const compilerOptions = { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };
    const files = blocks.map((_, n) => `block-${n}.ts`);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
    await Promise.all(blocks.map((block, n) => writeFile(join(project, files[n]!), block.code)));
    const tsc = await runProcess(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
      cwd: project,
      timeoutMs: 150_000,
    });
    expect(tsc.code, `${blocks.map(where).join(', ')}:\n${tsc.stdout}${tsc.stderr}`).toBe(0);

    for (const block of ofKind('ts')) {
      const js = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      const file = join(project, `run-${block.line}.mjs`);
      await writeFile(file, js);
      const run = await runProcess(process.execPath, [file], { cwd: project, env: await quietEnv(), timeoutMs: 60_000 });
      expect(run.code, `${where(block)}: ${run.stdout}${run.stderr}`).toBe(0);
    }
  });

  it('the examples another test runs as written are read by that test', async () => {
    const named = ofKind('elsewhere').map((block) => /^example: ([\w-]+)$/.exec(block.marker)![1]!);
    expect(named.sort()).toEqual(Object.keys(RUN_ELSEWHERE).sort());
    for (const block of ofKind('elsewhere')) {
      const name = /^example: ([\w-]+)$/.exec(block.marker)![1]!;
      const test = await readFile(join(ROOT, RUN_ELSEWHERE[name]!), 'utf8');
      expect(test, `${RUN_ELSEWHERE[name]} reads ${where(block)}`).toContain(block.file.replace(/^docs\//, ''));
      expect(test).toContain(name);
    }
  });

  it('every file a page gives is used by a block of that page that runs', () => {
    const files = ofKind('file');
    for (const file of files) {
      const users = ofKind('run').filter((block) => block.file === file.file && block.code.includes(fileName(file)));
      expect(users.length, `${where(file)}: no run block of ${file.file} names ${fileName(file)}`).toBeGreaterThan(0);
    }
  });

  it('the JSON blocks parse', () => {
    const blocks = ofKind('json');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(() => JSON.parse(block.code), where(block)).not.toThrow();
  });

  it('every relative link of the README and docs/ reaches a file, and its #anchor a heading there', async () => {
    // GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
    const slug = (heading: string) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
    const broken: string[] = [];
    for (const file of DOCS) {
      const text = await readFile(join(ROOT, file), 'utf8');
      for (const target of [...text.matchAll(/\]\(([^)\s]+)\)|href="([^"]+)"|src="([^"]+)"/g)].map((match) => match[1] ?? match[2] ?? match[3]!)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const linked = path ? join(ROOT, dirname(file), path) : join(ROOT, file);
        if (!existsSync(linked)) {
          broken.push(`${file}: ${target} (no such file)`);
          continue;
        }
        if (anchor === undefined) continue;
        const headings = (await readFile(linked, 'utf8'))
          .split('\n')
          .filter((line) => /^#{1,6} /.test(line))
          .map((line) => slug(line.replace(/^#+ /, '')));
        if (!headings.includes(anchor)) broken.push(`${file}: ${target} (no heading with that anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the architecture map names every folder and module under src/, and every path it names exists', () => {
    expect(ofKind('map')).toHaveLength(1);
    const [map] = ofKind('map');
    const named = [...map!.code.matchAll(/^(\S+)\s/gm)].map((match) => match[1]!);
    const onDisk = readdirSync(join(ROOT, 'src')).map((entry) => (statSync(join(ROOT, 'src', entry)).isDirectory() ? `src/${entry}/` : `src/${entry}`));
    expect(onDisk.filter((path) => !named.includes(path))).toEqual([]);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
