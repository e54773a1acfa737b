// A reader of hook-catch's live stream, as the inspector page is one, in its own process.
// Usage: node bench/stream-reader.js <ws url>. Prints {"ready":true} once connected; then answers
// the runner's `count` line with {"requests":…,"closeCode":…}. Ends when stdin ends.
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const ws = new WebSocket(process.argv[2]);
let requests = 0;
let closeCode = null;
ws.on('message', (data) => {
  for (const message of JSON.parse(String(data))) if (message.type === 'request') requests++;
});
ws.on('close', (code) => (closeCode = code));
ws.on('error', (error) => {
  process.stderr.write(`stream-reader: ${error.message}\n`);
  process.exit(1);
});
ws.on('open', () => process.stdout.write(JSON.stringify({ ready: true }) + '\n'));
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const answer = line.trim() === 'count' ? { requests, closeCode } : { error: `unknown command "${line.trim()}"; the command is count` };
  process.stdout.write(JSON.stringify(answer) + '\n');
});
commands.on('close', () => process.exit(0));
