import { connect, type Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMaxConnections, shedReporter } from '../src/receiver/connection-cap.js';
import { later, send, startHookCatch, tempDir } from './helpers/index.js';

/** Generous: the machine is shared and busy. */
const WITHIN_MS = 15_000;

interface Slow {
  socket: Socket;
  /** Resolves with what the server sent once it closes the connection. */
  closed: Promise<string>;
}

/** A connection that sends the start of a head and nothing more (a slow-loris sender). */
function slowHead(port: number): Promise<Slow> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((done) => socket.on('close', () => done(got)));
    later(() => socket.destroy());
    socket.once('connect', () => socket.write('POST /webhook HTTP/1.1\r\nHost: x\r\nX-Slow: ', () => resolve({ socket, closed })));
    socket.once('error', reject);
  });
}

/** Resolves once `count` of the promises have settled; rejects after `ms`. */
function firstSettled<T>(promises: Promise<T>[], count: number, ms: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const settled: T[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${settled.length} of ${count} settled within ${ms} ms`)), ms);
    for (const p of promises) {
      void p.then((value) => {
        settled.push(value);
        if (settled.length === count) {
          clearTimeout(timer);
          resolve(settled);
        }
      });
    }
  });
}

describe('receiver: slow senders', () => {
  it('a head that does not arrive whole within headersTimeoutMs is answered 408 and closed; a normal request meanwhile is not', async () => {
    const hc = await startHookCatch({ headersTimeoutMs: 300 });
    const slow = await slowHead(hc.receiverPort);
    const ok = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{"jobId":"a"}', headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    const answer = await firstSettled([slow.closed], 1, WITHIN_MS);
    expect(answer[0]).toMatch(/^HTTP\/1\.1 408 /);
    expect(hc.store.count).toBe(1); // the unfinished head is not a request
  });

  it('past maxConnections the connection idle longest is closed, never one being answered, and a new request still gets through', async () => {
    const warnings: string[] = [];
    const stderr = { write: (text: string) => (warnings.push(text), true) } as unknown as NodeJS.WritableStream;
    const hc = await startHookCatch({ maxConnections: 10, output: 'quiet', stderr, stdout: stderr });
    const slow: Slow[] = [];
    for (let i = 0; i < 10; i++) slow.push(await slowHead(hc.receiverPort));
    // An eleventh connection, a whole request: the oldest slow head makes room for it.
    const reply = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } });
    expect(reply.status).toBe(200);
    const [shed] = await firstSettled([slow[0]!.closed], 1, WITHIN_MS);
    expect(shed).toBe(''); // closed, not answered: it never sent a request
    // Twenty more slow heads: each one past the cap closes the one waiting longest.
    for (let i = 0; i < 20; i++) slow.push(await slowHead(hc.receiverPort));
    await firstSettled(
      slow.map((s) => s.closed),
      20,
      WITHIN_MS,
    );
    const stillOpen = slow.filter((s) => !s.socket.destroyed && s.socket.readyState === 'open');
    expect(stillOpen.length).toBeLessThanOrEqual(10);
    expect(slow.slice(-5).every((s) => stillOpen.includes(s))).toBe(true); // the newest stay
    expect(warnings.join('')).toMatch(/receiver connections? closed with no request in progress: 10 were open/);
    expect((await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: 'x' })).status).toBe(200);
  });

  it('a request in progress is never the one closed: a body still arriving outlasts newer idle connections', async () => {
    const hc = await startHookCatch({ maxConnections: 3 });
    const body = connect(hc.receiverPort, '127.0.0.1');
    let answer = '';
    body.on('data', (d) => (answer += d.toString('latin1')));
    const ended = new Promise<void>((done) => body.on('close', () => done()));
    later(() => body.destroy());
    // Expect: 100-continue, so that the server says when it has the head: from then on the request is in progress.
    const continued = new Promise<void>((done) => body.on('data', () => answer.startsWith('HTTP/1.1 100') && done()));
    body.once('connect', () => body.write('POST /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n'));
    await firstSettled([continued], 1, WITHIN_MS);
    body.write('{"a"');
    answer = '';
    const slow: Slow[] = [];
    for (let i = 0; i < 6; i++) slow.push(await slowHead(hc.receiverPort));
    await firstSettled(
      slow.map((s) => s.closed),
      3,
      WITHIN_MS,
    );
    body.write('}');
    await firstSettled([ended], 1, WITHIN_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('reads the cap from the open-file limit, and says so in one line at most every interval', async () => {
    const dir = await tempDir();
    const limits = join(dir, 'limits');
    await writeFile(
      limits,
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n',
    );
    expect(defaultMaxConnections(limits)).toBe(857);
    expect(defaultMaxConnections(join(dir, 'none'))).toBeNull();
    const lines: string[] = [];
    const shed = shedReporter(857, (line) => lines.push(line), 60_000);
    shed();
    shed();
    shed();
    expect(lines).toEqual([expect.stringMatching(/^1 receiver connection closed with no request in progress: 857 were open/)]);
  });
});
