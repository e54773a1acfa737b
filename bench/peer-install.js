// The bench's peers that are not hook-catch's dependencies (mockttp brings about 120 packages): each
// is installed with npm, once, at a pinned version, into a cache folder of its own outside the
// project, ${BENCH_PEERS_DIR:-${XDG_CACHE_HOME:-~/.cache}/hook-catch-bench/peers}/<name>@<version>,
// and later runs reuse it. This is the only time the bench goes to the network. When the install
// fails (offline, say) the row is skipped with the reason, and the rest of the bench goes on.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * mockttp 4.7.0 (engines: node >= 20). Its graphql-tools pull @whatwg-node/promise-helpers 2, which
 * declares node >= 22.15 but only feature-tests what Node 22 adds (Promise.withResolvers), so the
 * install does not hold to engines (this project's .npmrc says engine-strict).
 */
export const MOCKTTP = { name: 'mockttp', version: '4.7.0' };
const INSTALL_TIMEOUT_MS = 5 * 60_000;
/** Offline, npm's own retries (10 s, then 60 s apart) would hold the bench about a minute and a half each run. */
const RETRIES = ['--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=5000'];

/** A row that cannot run here (its peer is missing), with the reason in one line. */
export class RowSkipped extends Error {}

function peersDir() {
  if (process.env.BENCH_PEERS_DIR) return process.env.BENCH_PEERS_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hook-catch-bench', 'peers');
}

/** The folder whose node_modules holds `name@version`, installed there first if it is not yet; throws RowSkipped when it cannot be. */
export async function peerFolder({ name, version }, log) {
  const dir = join(peersDir(), `${name}@${version}`);
  if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return dir;
  // Installed beside the folder, then renamed into place: a run stopped half way, or two runs at
  // once, never leave a folder that looks installed and is not.
  const staging = `${dir}.installing-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`  installing ${name}@${version} into ${dir} (once: later runs reuse it)`);
  const t0 = performance.now();
  const failure = await npmInstall(staging, `${name}@${version}`);
  if (failure) {
    rmSync(staging, { recursive: true, force: true });
    throw new RowSkipped(`${name}@${version} could not be installed (${failure}); the bench tries again on its next run`);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true }); // another run put it there first
    if (!existsSync(join(dir, 'node_modules', name, 'package.json'))) throw error;
  }
  log(`  installed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return dir;
}

/** Runs npm install into `prefix`; resolves with null, or with one line on what went wrong. */
function npmInstall(prefix, spec) {
  const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=error', ...RETRIES, spec];
  return new Promise((resolve) => {
    // In the staging folder, so that no project's .npmrc or package.json is read.
    const npm = spawn('npm', args, { cwd: prefix, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => (output += chunk);
    npm.stdout.on('data', collect);
    npm.stderr.on('data', collect);
    const timer = setTimeout(() => npm.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    npm.on('error', (error) => (clearTimeout(timer), resolve(`npm could not be run: ${error.message}`)));
    npm.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(null);
      else if (signal) resolve(`npm install did not finish within ${INSTALL_TIMEOUT_MS / 60_000} minutes`);
      else resolve(npmError(output) ?? `npm install exited ${code}`);
    });
  });
}

/** npm's error in one line: its code and its first line that says something. */
function npmError(output) {
  const lines = output.split('\n').filter((l) => l.startsWith('npm error '));
  const code = /^npm error code (\S+)/.exec(lines.find((l) => l.startsWith('npm error code ')) ?? '')?.[1];
  const said = lines.map((l) => l.slice('npm error '.length).trim()).find((l) => l && !/^(code|syscall|errno|path) |^A complete log/.test(l));
  if (!code && !said) return null;
  return [code, said].filter(Boolean).join(': ');
}
