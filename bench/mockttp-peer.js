// mockttp (HTTP Toolkit's engine) catching webhooks as its users do: a local server (getLocal(),
// defaults), one rule that answers POST /webhook with 200 {"received":true}, and every request it
// matched recorded by mockttp (recordTraffic, on by default) for endpoint.getSeenRequests().
// mockttp is not a dependency of hook-catch: the runner installs it into the bench's peer folder
// (bench/peer-install.js) and passes that folder. mockttp listens on every interface (start() has
// no host to give); the load goes to 127.0.0.1.
// Usage: node bench/mockttp-peer.js <peer folder>. Besides reset and loop-delay (child-control.js),
// it answers `seen` with {"seen":…, "newestJob":…}: what getSeenRequests() holds after the run.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { answerRunner } from './child-control.js';

const folder = process.argv[2];
if (!folder) {
  console.error('mockttp-peer: give the folder mockttp is installed in: node bench/mockttp-peer.js <folder>');
  process.exit(2);
}
const { getLocal } = createRequire(join(folder, 'node_modules', '.require-from-here'))('mockttp');

const server = getLocal();
await server.start();
// thenJson sets Content-Length; thenReply with headers of its own sends them as given, with none, so
// the answer would end only when the connection closes (and a keep-alive client waits for ever).
const endpoint = await server.forPost('/webhook').thenJson(200, { received: true });
process.stdout.write(JSON.stringify({ ready: true, port: server.port }) + '\n');

/** How many requests mockttp recorded, and the job the newest one's body names (it kept the body whole). */
async function seen() {
  const requests = await endpoint.getSeenRequests();
  const newest = requests.at(-1);
  return { seen: requests.length, newestJob: newest ? ((await newest.body.getJson())?.jobId ?? null) : null };
}

// Exit when told to, or when the parent goes away (its end of stdin closes).
const stop = async () => {
  setTimeout(() => process.exit(1), 3000).unref();
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
answerRunner(stop, { seen });
