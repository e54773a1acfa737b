// hook-catch in its own process, as `hook-catch start` would run it, minus the terminal output.
// Usage: node bench/hook-catch-server.js --dir <dir> [--max-requests N] [--fsync]
// (or BENCH_DIR, BENCH_MAX_REQUESTS, BENCH_FSYNC=1 in the environment).
import { parseArgs } from 'node:util';
import { start } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: process.env.BENCH_DIR },
    'max-requests': { type: 'string', default: process.env.BENCH_MAX_REQUESTS ?? '100000' },
    fsync: { type: 'boolean', default: process.env.BENCH_FSYNC === '1' },
  },
});
if (!values.dir) {
  console.error('hook-catch-server: --dir is required');
  process.exit(2);
}

const t0 = performance.now();
const hc = await start({
  port: 0,
  host: '127.0.0.1',
  inspectorPort: 0,
  dir: values.dir,
  output: 'none',
  tunnel: false, // the benchmark never dials out
  maxRequests: Number(values['max-requests']),
  fsync: values.fsync,
});
const startMs = performance.now() - t0;

process.stdout.write(
  JSON.stringify({
    ready: true,
    port: hc.receiverPort,
    inspectorPort: hc.inspectorPort,
    startMs,
    stored: hc.store.count,
    warnings: hc.warnings,
  }) + '\n',
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 3000).unref();
  await hc.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop).resume();
