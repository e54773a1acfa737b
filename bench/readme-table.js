// `node bench/readme-table.js`: the README's Performance section, made from one full bench run
// (bench/results/latest.json) and written between its markers, so that the table in the README is
// always one run's, as it came. --print writes the section to stdout instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_COMMANDS } from './cli-startup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BEGIN = '<!-- bench:begin (made by node bench/readme-table.js from one npm run bench) -->';
const END = '<!-- bench:end -->';

const int = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
const dec = (n, digits = 2) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const times = (n) => (n == null || !Number.isFinite(n) ? '' : `${n.toFixed(2)}×`);

/** The load rows, in the order a reader compares them: the floor and the peers around hook-catch. */
const LOAD_ROWS = [
  ['bare-32', 'bare `node:http` (reads the body, keeps nothing)'],
  ['floor-32', 'the durable floor (a minimal catcher: one JSON line a request, written before the answer)'],
  ['hook-catch-32', '**hook-catch**, defaults (empty store)'],
  ['hook-catch-rules-verify-32', 'hook-catch, a response rule + a Stripe secret (`--verify`)'],
  ['hook-catch-10k-32', 'hook-catch, 10,000 stored'],
  ['hook-catch-50k-32', 'hook-catch, 50,000 stored'],
  ['hook-catch-5k-jobs-32', 'hook-catch, 5,000 jobs registered'],
  ['hook-catch-stream-32', 'hook-catch, a page on the live stream'],
  ['hook-catch-fsync-32', 'hook-catch, `--fsync`'],
  ['express-32', 'a provider’s express sample (JSON body parser, `console.log`)'],
  ['mockttp-32', 'mockttp (HTTP Toolkit’s engine)'],
];

export function section(results) {
  const { meta, scenarios, targets } = results;
  const row = (key) => scenarios.find((s) => s.key === key);
  const lines = [
    BEGIN,
    `One \`npm run bench\` on ${meta.date.slice(0, 10)}: Node ${meta.node.slice(1)}, ${meta.cpus} CPUs, each server pinned to one CPU and ` +
      `the load (autocannon, 32 connections, a ${int(meta.bodyBytes)}-byte JSON webhook naming a job) to the other, ${meta.seconds} s a row. ` +
      'Ratios compare rows of this one run; on a shared machine absolute numbers move from run to run. CPU µs/req is the ' +
      'CPU time the server used per request answered.',
    '',
    '| server | req/s | p99 ms | CPU µs/req | req/s vs bare | p99 vs bare | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [key, name] of LOAD_ROWS) {
    const r = row(key);
    if (!r?.load) continue;
    lines.push(
      `| ${name} | ${int(r.load.reqPerSec)} | ${dec(r.load.p99Ms)} | ${dec(r.cpuUsPerReq, 1)} | ${times(r.vsBareReqPerSec)} | ${times(r.vsBareP99)} | ${dec(r.peakRssMb, 0)} |`,
    );
  }
  lines.push('');
  const big = row('hook-catch-1mib-32');
  const disk = row('disk-1mib');
  if (big?.bytesPerSec && disk?.bytesPerSec) {
    const mbs = (n) => `${int(n / 1e6)} MB/s`;
    lines.push(
      `- **1 MiB JSON bodies**: ${mbs(big.bytesPerSec)}, ${times(big.bytesPerSec / disk.bytesPerSec)} of what the disk takes ` +
        `(${mbs(disk.bytesPerSec)}, the same bytes appended with \`writeSync\`)` +
        (big.vsBareBytesPerSec ? `, ${times(big.vsBareBytesPerSec)} bare node:http reading them` : '') +
        `; p99 ${dec(big.load?.p99Ms, 0)} ms, peak RSS ${dec(big.peakRssMb, 0)} MB.`,
    );
  }
  const cli = row('cli-startup');
  if (cli?.medianMs) {
    const parts = Object.entries(CLI_COMMANDS).map(([name, what]) => `\`${what}\` +${int(cli.overMs[name])} ms`);
    lines.push(`- **The CLI**, spawn to exit, over \`node -e 1\` (${int(cli.medianMs.node)} ms) on the same CPU, median of ${cli.runs}: ${parts.join(', ')}.`);
  }
  const passed = targets.filter((t) => t.pass).length;
  lines.push(`- **Targets**: ${passed} of ${targets.length} met in this run:`, '');
  for (const t of targets) lines.push(`  - ${t.pass ? 'met' : '**missed**'}: ${t.name}${t.value == null ? '' : ` (${shown(t)})`}`);
  lines.push('', 'The whole report of this run, with what each miss comes from, is in [Performance](docs/performance.md).', END);
  return lines.join('\n');
}

function shown(t) {
  const value = typeof t.value === 'number' ? (Number.isInteger(t.value) || Math.abs(t.value) >= 100 ? int(t.value) : dec(t.value)) : String(t.value);
  return `${value}${t.unit ?? ''}${t.note ? `; ${t.note}` : ''}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8'));
  const text = section(results);
  if (process.argv.includes('--print')) process.stdout.write(`${text}\n`);
  else {
    const file = join(root, 'README.md');
    const readme = readFileSync(file, 'utf8');
    const begin = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (begin === -1 || end === -1) {
      process.stderr.write(`readme-table: README.md has no "${BEGIN}" … "${END}" markers; put them where the section goes.\n`);
      process.exit(2);
    }
    writeFileSync(file, readme.slice(0, begin) + text + readme.slice(end + END.length));
    process.stderr.write('readme-table: README.md’s Performance section written from bench/results/latest.json\n');
  }
}
