import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, HookCatchError } from './errors.js';

/**
 * Starts `server` on host:port and returns the port it got. A port that cannot be had becomes one
 * line naming the flag that changes it.
 */
export function listen(server: Server, port: number, host: string, what: string, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new HookCatchError(listenFailure(error, port, host, what, flag)));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function listenFailure(error: NodeJS.ErrnoException, port: number, host: string, what: string, flag: string): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use, so the ${what} cannot listen there. Choose another with ${flag} <port> (${flag} 0 picks any free port).`;
    case 'EACCES':
      return `Port ${port} needs privileges this user does not have (${what}). Choose a port above 1023 with ${flag} <port>.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `The ${what} cannot listen on ${host}: no such address on this machine. Check --host.`;
    default:
      return `The ${what} could not listen on ${host}:${port}: ${describe(error)}.`;
  }
}

export function urlFor(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The response a connection is answering now (set per request: cheaper than tracking every response). */
const CURRENT = Symbol('hook-catch response in flight');
type TrackedSocket = Socket & { [CURRENT]?: ServerResponse };

/**
 * Lets servers stop without serving on: once closing, every answer says `Connection: close` and its
 * connection ends after it, so a keep-alive client cannot go on sending requests on an old socket.
 * Servers are watched with `track` (their connections) and handlers wrapped with `wrap` (which
 * response each connection is answering).
 */
export class Drain {
  private closing = false;
  private readonly sockets = new Set<TrackedSocket>();

  track(server: Server): void {
    server.on('connection', (socket: TrackedSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  wrap(handler: Handler): Handler {
    return (req, res) => {
      (req.socket as TrackedSocket)[CURRENT] = res;
      if (this.closing) this.endAfter(res);
      handler(req, res);
    };
  }

  /**
   * Stops accepting; idle connections end now, requests in flight get `graceMs` to finish (their
   * connections end after the answer), then every connection is cut.
   */
  async close(servers: Server[], graceMs: number): Promise<void> {
    this.closing = true;
    for (const socket of this.sockets) {
      const res = socket[CURRENT];
      if (res && !res.writableFinished) this.endAfter(res);
    }
    const listening = servers.filter((s) => s.listening);
    const stopped = listening.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const server of listening) server.closeIdleConnections();
    const force = setTimeout(() => {
      for (const server of listening) server.closeAllConnections();
    }, graceMs);
    await Promise.all(stopped);
    clearTimeout(force);
  }

  private endAfter(res: ServerResponse): void {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    else res.once('finish', () => res.socket?.end());
  }
}
