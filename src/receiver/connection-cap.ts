import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Files kept free for what else hook-catch opens: log segments, jobs.json, the inspector and its page. */
const RESERVE = 64;

/**
 * How many receiver connections may be open at once: a tenth under the process's limit of open
 * files, less a reserve, so that connections never use up the files the store needs and a new
 * connection is never reset for want of one. Null where the limit cannot be read (not Linux).
 */
export function defaultMaxConnections(limits = '/proc/self/limits'): number | null {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync(limits, 'utf8'));
    return match ? Math.max(16, Math.floor(Number(match[1]) * 0.9) - RESERVE) : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the receiver's open connections at `max`. Past it, the connection that has waited longest
 * without a request in progress is closed (a head that never ends, a kept-alive socket left idle),
 * never one whose request is being received or answered; only when every other one is busy is the
 * new connection the one closed. A provider's request arrives whole in moments, so what is closed is
 * what a slow-loris sender holds open. `onShed` hears of each.
 */
export class ConnectionCap {
  /** Connections with no request in progress, longest waiting first. */
  private readonly waiting = new Set<Socket>();
  private open = 0;

  constructor(
    private readonly max: number,
    private readonly onShed: () => void,
  ) {}

  watch(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.open++;
      this.waiting.add(socket);
      socket.once('close', () => {
        this.open--;
        this.waiting.delete(socket);
      });
      if (this.open > this.max) this.shed();
    });
    // Whatever node:http hands over once a head is whole: busy until its answer is sent.
    for (const event of ['request', 'checkContinue', 'checkExpectation']) {
      server.prependListener(event, (req: IncomingMessage, res: ServerResponse) => this.busy(req.socket, res));
    }
    server.prependListener('connect', (req: IncomingMessage) => this.waiting.delete(req.socket));
  }

  private busy(socket: Socket, res: ServerResponse): void {
    this.waiting.delete(socket);
    res.once('finish', () => {
      if (!socket.destroyed) this.waiting.add(socket);
    });
  }

  private shed(): void {
    const oldest = this.waiting.values().next().value;
    if (!oldest) return;
    this.waiting.delete(oldest);
    oldest.destroy();
    this.onShed();
  }
}

/** One line at once, then at most one every `everyMs`, saying how many connections the cap closed meanwhile. */
export function shedReporter(max: number, warn: (text: string) => void, everyMs = 10_000): () => void {
  let count = 0;
  let quietUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  const say = () => {
    warn(
      `${count} receiver connection${count === 1 ? '' : 's'} closed with no request in progress: ${max} were open, the most hook-catch keeps (maxConnections; by default set by the open-file limit, ulimit -n). Something holds connections open without sending requests.`,
    );
    count = 0;
    quietUntil = Date.now() + everyMs;
  };
  return () => {
    count++;
    if (timer) return;
    const wait = quietUntil - Date.now();
    if (wait <= 0) return say();
    timer = setTimeout(() => {
      timer = null;
      say();
    }, wait);
    timer.unref();
  };
}
