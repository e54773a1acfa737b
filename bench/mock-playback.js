// The provider double's pace (`hook-catch mock --speed instant`): 1,000 jobs, each a submit, two
// status calls and two webhooks, played from one scenario to a local app. hook-catch mock runs in a
// child (pinned to the server's CPU); the app (its client on keep-alive connections, its webhook
// receiver) runs here. Timed from the first submit to the last webhook the app acknowledged.
import { Agent, createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMb, runNode, stop } from './children.js';
import { json, pool, send } from './http-client.js';
import { SERVER_CPU } from './pin.js';

const here = dirname(fileURLToPath(import.meta.url));
const JOBS = 1000;
const IN_FLIGHT = 50;
const RECORDED_ID = 'a919924e-ce4e-11ed-9999-0050568c48bc';

export const MOCK_SCENARIO = { key: 'mock-1000-jobs', name: 'hook-catch mock --speed instant, 1,000 jobs', server: 'hook-catch', run: runMock };

async function runMock(s, { log, tempDirs }) {
  const row = { key: s.key, name: s.name, server: s.server, jobs: JOBS };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  tempDirs.add(dir);
  let child;
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const app = receiver();
  try {
    await writeFile(join(dir, 'transcribe.scenario.json'), JSON.stringify(scenario()));
    const webhookUrl = await app.listen();
    const started = await runNode(join(here, '..', 'bin', 'hook-catch.js'), ['mock', dir, '--port', '0', '--speed', 'instant', '--json'], { cpu: SERVER_CPU });
    child = started.child;
    const port = started.info.port;
    log(`  ${JOBS} jobs, ${IN_FLIGHT} at a time: submit, two status calls, two webhooks each`);
    const t0 = performance.now();
    await pool(JOBS, IN_FLIGHT, async () => {
      const path = `/ai/v1/transcribe?webhook=${encodeURIComponent(webhookUrl)}`;
      const submitted = await send({ agent, port, method: 'POST', path, body: '{"language":"en-US","mediaUrl":"https://media.example.com/a.wav"}' });
      const id = json(submitted)?.jobId;
      if (submitted.status !== 200 || !id) throw new Error(`a submit answered ${submitted.status}: ${submitted.body}`);
      for (let i = 0; i < 2; i++) {
        const polled = await send({ agent, port, path: `/ai/status/v1/jobs/${id}` });
        if (polled.status !== 200) throw new Error(`a status call answered ${polled.status}: ${polled.body}`);
      }
      await app.webhooksOf(id, 2);
    });
    row.seconds = (performance.now() - t0) / 1000;
    row.webhooks = app.count();
    row.peakRssMb = peakRssMb(child.pid);
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    agent.destroy();
    await app.close();
    if (child) await stop(child);
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
  return row;
}

/** The app's webhook receiver: answers 200, and tells who waits for a job's webhooks when they are in. */
function receiver() {
  const seen = new Map();
  const waiting = new Map();
  let count = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      res.end('ok');
      const id = JSON.parse(Buffer.concat(chunks).toString()).jobId;
      count++;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      waiting.get(id)?.();
    });
  });
  return {
    listen: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/hooks`))),
    count: () => count,
    webhooksOf: (id, n) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`job ${id} got ${seen.get(id) ?? 0} of ${n} webhooks within 60 s`)), 60_000);
        const check = () => (seen.get(id) ?? 0) >= n && (clearTimeout(timer), waiting.delete(id), resolve());
        waiting.set(id, check);
        check();
      }),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** One recorded job of the AI API: the submit, an in-progress and a final status call, two webhooks. */
function scenario() {
  const at = (ms, request, answer) => ({ atMs: ms, request, answer });
  const req = (method, url, body = '') => ({
    method,
    url,
    headers: [['Content-Type', 'application/json']],
    bodySize: Buffer.byteLength(body),
    body,
    bodyEncoding: 'utf8',
  });
  const answer = (value) => ({
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify(value),
    bodyEncoding: 'utf8',
    latencyMs: 40,
  });
  const hook = (ms, status) => ({
    kind: 'webhook',
    atMs: ms,
    attempt: 1,
    duplicate: false,
    request: req('POST', '/hooks', JSON.stringify({ jobId: RECORDED_ID, status })),
    answered: { status: 200, by: 'app' },
    statusWord: status,
    status: status === 'Success' ? 'completed' : 'in_progress',
  });
  const poll = `/ai/status/v1/jobs/${RECORDED_ID}`;
  return {
    format: 'hook-catch/scenario@1',
    createdBy: 'hook-catch bench',
    job: {
      id: RECORDED_ID,
      label: null,
      provider: 'https://api.example.com',
      status: 'completed',
      submittedAt: '2026-12-01T10:00:00.000Z',
      webhookUrl: 'http://localhost:3000/hooks',
    },
    redacted: [],
    steps: [
      {
        kind: 'submit',
        ...at(
          0,
          req('POST', '/ai/v1/transcribe?webhook=http%3A%2F%2Flocalhost%3A3000%2Fhooks', '{"language":"en-US","mediaUrl":"https://media.example.com/a.wav"}'),
          answer({ jobId: RECORDED_ID }),
        ),
        idAt: 'body.jobId',
        webhookUrlAt: 'query.webhook',
      },
      { kind: 'poll', ...at(1000, req('GET', poll), answer({ jobId: RECORDED_ID, status: 'InProgress' })), statusWord: 'InProgress', status: 'in_progress' },
      hook(20_000, 'InProgress'),
      hook(40_000, 'Success'),
      { kind: 'poll', ...at(41_000, req('GET', poll), answer({ jobId: RECORDED_ID, status: 'Success' })), statusWord: 'Success', status: 'completed' },
    ],
  };
}

/** The report's line for this row, with the target (1,000 jobs in under 5 s). */
export function mockLines(row) {
  if (row.error) return [`- ${row.name}: FAILED: ${row.error}`];
  return [
    `- ${row.name} (submit, two status calls and two webhooks each, ${IN_FLIGHT} jobs at a time, the app on keep-alive connections): ` +
      `${row.webhooks.toLocaleString('en-US')} webhooks acknowledged in ${row.seconds.toFixed(2)} s (target < 5 s: ${row.seconds < 5 ? 'met' : 'MISSED'}); ` +
      `the mock's peak RSS ${row.peakRssMb?.toFixed(0)} MB`,
  ];
}
