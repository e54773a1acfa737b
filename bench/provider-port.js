// The provider port's cost (`start --provider`): an app's calls to its provider, one at a time on a
// keep-alive connection, sent straight to a local provider and through hook-catch's provider port
// (which stores each call with its answer and registers the job its answer names), interleaved so
// that both meet the same machine. Per call: the answer's last byte - the request sent, timed here.
import { Agent } from 'node:http';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMb, runNode, stop } from './children.js';
import { send } from './http-client.js';
import { percentile } from './load.js';
import { SERVER_CPU } from './pin.js';

const here = dirname(fileURLToPath(import.meta.url));
const WARMUP = 200;
const BODY = JSON.stringify({ media: 'https://media.example.com/call-1.wav', language: 'en-US', webhook: { url: 'http://localhost:3000/hooks' } });

export const PROVIDER_SCENARIO = {
  key: 'provider-port',
  name: 'provider port, one call at a time',
  server: 'hook-catch',
  run: runProviderPort,
};

async function runProviderPort(s, { seconds, log, tempDirs }) {
  const calls = Math.max(500, Math.round(seconds * 250));
  const row = { key: s.key, name: s.name, server: s.server, calls };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  tempDirs.add(dir);
  const children = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const provider = await runNode(join(here, 'bare-server.js'), ['--job-answer'], { cpu: SERVER_CPU });
    children.push(provider.child);
    const options = JSON.stringify({ provider: `http://127.0.0.1:${provider.info.port}`, providerPort: 0 });
    const hc = await runNode(join(here, 'hook-catch-server.js'), ['--dir', dir, '--options', options], { cpu: SERVER_CPU });
    children.push(hc.child);
    const direct = provider.info.port;
    const proxied = hc.info.providerPort;
    log(`  ${calls} calls straight to the provider and ${calls} through the provider port, interleaved`);
    const timed = { direct: [], proxied: [] };
    for (let i = 0; i < WARMUP + calls; i++) {
      for (const [which, port] of [
        ['direct', direct],
        ['proxied', proxied],
      ]) {
        const answer = await send({ agent, port, method: 'POST', path: '/ai/v1/transcribe', body: BODY });
        if (answer.status !== 200) throw new Error(`${which} call ${i} answered ${answer.status}: ${answer.body}`);
        if (i >= WARMUP) timed[which].push(answer.endAt - answer.sentAt);
      }
    }
    for (const which of ['direct', 'proxied']) {
      const sorted = Float64Array.from(timed[which]).sort();
      row[which] = { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
    }
    row.addedP50Ms = row.proxied.p50Ms - row.direct.p50Ms;
    row.addedP99Ms = row.proxied.p99Ms - row.direct.p99Ms;
    row.peakRssMb = peakRssMb(hc.child.pid);
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    agent.destroy();
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
  return row;
}

/** The report's line for this row, with the targets (under 1 ms added at p50, 5 ms at p99). */
export function providerPortLines(row) {
  if (row.error) return [`- ${row.name}: FAILED: ${row.error}`];
  const f = (n) => n.toFixed(2);
  const met = (ok) => (ok ? 'met' : 'MISSED');
  return [
    `- ${row.name} (each stored with its answer, each answer naming a job that it registers): ${row.calls.toLocaleString('en-US')} calls each way. ` +
      `Straight to the provider p50 ${f(row.direct.p50Ms)} ms, p99 ${f(row.direct.p99Ms)} ms; through the provider port p50 ${f(row.proxied.p50Ms)} ms, p99 ${f(row.proxied.p99Ms)} ms: ` +
      `added ${f(row.addedP50Ms)} ms at p50 (target < 1 ms: ${met(row.addedP50Ms < 1)}), ${f(row.addedP99Ms)} ms at p99 (target < 5 ms: ${met(row.addedP99Ms < 5)}); ` +
      `hook-catch's peak RSS ${row.peakRssMb?.toFixed(0)} MB`,
  ];
}
