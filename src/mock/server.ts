import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describe } from '../errors.js';
import type { Playback } from './playback.js';

/**
 * The provider's API on a local port: each request read whole, then answered by the playback. It
 * never leaves an app hanging: a request that cannot be read or answered gets a 500 saying why.
 */
export function mockServer(playback: Playback): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        const headers: [string, string][] = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
        const { answer, then } = playback.handle(req.method ?? 'GET', req.url ?? '/', headers, Buffer.concat(chunks));
        // On close, not finish: an app that hung up before the answer still submitted the job.
        if (then) res.once('close', then);
        res.writeHead(answer.status, [...answer.headers.flat(), 'Content-Length', String(answer.body.length)]);
        res.end(answer.body);
      } catch (error) {
        if (res.headersSent) return void res.destroy();
        res
          .writeHead(500, { 'Content-Type': 'application/json' })
          .end(`${JSON.stringify({ error: `hook-catch mock could not answer: ${describe(error)}` })}\n`);
      }
    });
  });
}
