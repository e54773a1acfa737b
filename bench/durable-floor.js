// The durable floor: the least a catcher that keeps every request must do, and so what writing
// every request durably costs beside bare node:http. node:http; each request's body read whole and
// checked with one JSON.parse; its raw headers JSON-escaped; one JSON line (time, method, url,
// headers, body) with the body's bytes spliced in as they came. The lines of one turn of the event
// loop go to an append-only file in ONE writev, and each request is answered 200 only after its
// line was written (to the operating system, as hook-catch's default: it survives a crash of this
// process). Nothing else: no index, no jobs, no live stream, no cap.
// Usage: node bench/durable-floor.js <dir>. Besides reset and loop-delay (child-control.js), it
// answers `written` with {"lines":…,"bytes":…}.
import { closeSync, openSync, writevSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { answerRunner } from './child-control.js';

const dir = process.argv[2];
if (!dir) {
  console.error('durable-floor: give the folder to write in: node bench/durable-floor.js <dir>');
  process.exit(2);
}
const fd = openSync(join(dir, 'requests.jsonl'), 'a', 0o600);
const ANSWER = Buffer.from('{"ok":true}\n');
const END = Buffer.from('}\n');

/** The lines of this turn (three buffers each) and the answers that wait for them. */
let parts = [];
let waiting = [];
let lines = 0;
let bytes = 0;

/**
 * One line's buffers. A JSON body goes in as its bytes, unless it holds a line break (JSON allows
 * them between values), which would split the line; any other body as a JSON string of its text.
 */
function lineOf(req, body) {
  let json = body.length > 0 && body.indexOf(0x0a) === -1 && body.indexOf(0x0d) === -1;
  if (json) {
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      json = false;
    }
  }
  const head =
    `{"time":"${new Date().toISOString()}","method":${JSON.stringify(req.method)},"url":${JSON.stringify(req.url)},` +
    `"headers":${JSON.stringify(req.rawHeaders)},${json ? '"body":' : '"bodyText":'}`;
  return [Buffer.from(head), json ? body : Buffer.from(JSON.stringify(body.toString('utf8'))), END];
}

/** Writes the turn's lines in one call, then answers each request they hold. */
function flush() {
  const batch = parts;
  const answers = waiting;
  parts = [];
  waiting = [];
  let status = 200;
  try {
    // libuv writes every buffer (it goes on after a short write), so this is the whole batch or a throw.
    bytes += writevSync(fd, batch);
    lines += answers.length;
  } catch (error) {
    process.stderr.write(`durable-floor: not written (${error.message}); answering 503\n`);
    status = 503;
  }
  for (const res of answers) {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': ANSWER.length });
    res.end(ANSWER);
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (waiting.length === 0) setImmediate(flush); // after this turn's other requests have ended too
    parts.push(...lineOf(req, Buffer.concat(chunks)));
    waiting.push(res);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ ready: true, port: server.address().port }) + '\n');
});

// Exit when told to, or when the parent goes away (its end of stdin closes).
const stop = () => {
  closeSync(fd);
  process.exit(0);
};
process.on('SIGTERM', stop);
answerRunner(stop, { written: () => ({ lines, bytes }) });
