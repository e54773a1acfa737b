// Baseline: a bare node:http server that reads the whole body and answers 200 with a small JSON.
// --job-answer: the answer names a job (`jobId`), as an async API's submit does (bench/provider-port.js).
import { createServer } from 'node:http';
import { answerRunner } from './child-control.js';

let count = 0;
const JOB_ANSWER = process.argv.includes('--job-answer');
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const n = ++count;
    const text = JSON.stringify(JOB_ANSWER ? { jobId: `bench-job-${n}` } : { ok: true, n, bytes: body.length }) + '\n';
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ ready: true, port: server.address().port }) + '\n');
});

// Exit when told to, or when the parent goes away (its end of stdin closes).
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
answerRunner(stop);
