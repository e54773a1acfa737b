// `npm run profile`: where hook-catch's time goes under the benchmark's load. hook-catch runs as in
// the bench (bench/hook-catch-server.js, pinned to the server CPU) under `node --cpu-prof`, autocannon
// sends the 1 kB JSON at 32 connections for PROFILE_SECONDS (default 5), then the profile is read:
// the self time of each function, and what it adds up to per kind of work (ours by folder, node's
// HTTP, the file system, GC, idle). Usage: node bench/profile.js [--options JSON] [--body-bytes N] [--top N] [--server bare]
// The .cpuprofile is kept (its path is printed) for Chrome DevTools' Performance panel.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { largeBody } from './large-bodies.js';
import { measure } from './load.js';
import { pinnedCommand, pinRunner, SERVER_CPU } from './pin.js';
import { SMALL_BODY } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({
  options: {
    options: { type: 'string', default: '{}' },
    'body-bytes': { type: 'string' },
    connections: { type: 'string', default: '32' },
    top: { type: 'string', default: '25' },
    headers: { type: 'string', default: '{}' },
    // `bare`: the bare node:http row's server instead, to see what node:http itself costs per request.
    server: { type: 'string', default: 'hook-catch' },
  },
});
const seconds = Number(process.env.PROFILE_SECONDS ?? 5);
const body = values['body-bytes'] ? largeBody(Number(values['body-bytes'])) : SMALL_BODY;

pinRunner();
const dir = mkdtempSync(join(tmpdir(), 'hook-catch-profile-'));
const profDir = mkdtempSync(join(tmpdir(), 'hook-catch-cpuprofile-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const bare = values.server === 'bare';
const script = join(here, bare ? 'bare-server.js' : 'hook-catch-server.js');
const [command, argv] = pinnedCommand(SERVER_CPU, script, bare ? [] : ['--dir', dir, '--max-requests', '10000000', '--options', values.options]);
// The node flags go before the script, after taskset's own arguments when pinned.
const at = argv.indexOf(script);
const child = spawn(command, [...argv.slice(0, at), '--cpu-prof', '--cpu-prof-dir', profDir, ...argv.slice(at)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
const info = await new Promise((resolve, reject) => {
  lines.once('line', (line) => resolve(JSON.parse(line)));
  child.once('exit', (code) => reject(new Error(`hook-catch exited (${code}) before it was ready`)));
});
const load = await measure({
  url: `http://127.0.0.1:${info.port}/webhook`,
  body,
  headers: JSON.parse(values.headers),
  connections: Number(values.connections),
  seconds,
});
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
const file = readdirSync(profDir).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile was written to ${profDir}`);
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
process.stdout.write(report(profile, load, Number(values.top)) + `\nprofile: ${join(profDir, file)}\n`);

/** Self time per function and per kind of work, as text. */
function report(profile, load, top) {
  const selfUs = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map();
  const kinds = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const where = placeOf(callFrame.url);
    const key = `${callFrame.functionName || '(anonymous)'}  ${where}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const kind = kindOf(callFrame.functionName, where);
    kinds.set(kind, (kinds.get(kind) ?? 0) + us);
    total += us;
  }
  // Waiting for the load generator is not work: shares are of the time the process was busy.
  const busy = total - (kinds.get('(idle)') ?? 0);
  kinds.delete('(idle)');
  fns.delete('(idle)  ');
  // Per request measured (the warm-up's requests are in the profile too: a slight overstatement).
  const perReq = (us) => (load.total ? `${(us / load.total).toFixed(2)} µs/req` : '');
  const rows = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)}%  ${perReq(us).padStart(13)}  ${name}`);
  return [
    `${Math.round(load.reqPerSec).toLocaleString('en-US')} req/s, p99 ${load.p99Ms?.toFixed(2)} ms, ${load.total.toLocaleString('en-US')} requests; ` +
      `${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms profiled (the profile includes start-up)`,
    '',
    'by kind of work (share of busy time):',
    ...rows(kinds, 40),
    '',
    `top ${top} functions by self time:`,
    ...rows(fns, top),
    '',
    `top ${top} of hook-catch's functions by total time (with what they call):`,
    ...rows(inclusive(profile, byId, selfUs), top),
  ].join('\n');
}

/** Each of our functions' time with what it calls (a function on the stack twice counts once). */
function inclusive(profile, byId, selfUs) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at);
      const where = placeOf(callFrame.url);
      if (!where.startsWith('dist/')) continue;
      const key = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + us);
    }
  }
  return totals;
}

function placeOf(url) {
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return relative(root, path);
}

/** Our code by folder (dist/<folder>), node's by module, a dependency by package. */
function kindOf(name, where) {
  if (!where) return name.startsWith('(') ? name : '(native)';
  if (where.startsWith('node:')) return where;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (dep) return `dep ${dep[1]}`;
  const ours = /^dist\/([^/]+)(\/|$)/.exec(where);
  if (ours) return `hook-catch ${ours[1].endsWith('.js') ? ours[1] : `${ours[1]}/`}`;
  return where;
}
