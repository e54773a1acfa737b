import type { Socket } from 'node:net';

/** Connections held unanswered at once (`--hang`); past it, the one held longest is closed to make room. */
export const MAX_HUNG = 256;

/**
 * Requests a response rule answers with nothing (`--hang`, `--drop`), after they were stored. A hung
 * one keeps its connection open, reading nothing more, until the rule's time is up, its sender gives
 * up, or hook-catch stops (`closeAll`: stopping never waits for them); then it is closed without an
 * answer. At most MAX_HUNG are held: a sender retrying into a hang cannot pile up open sockets.
 */
export class Unanswered {
  /** Hung connections, held longest first, each with the timer that ends it. */
  private readonly hung = new Map<Socket, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly max = MAX_HUNG) {}

  get holding(): number {
    return this.hung.size;
  }

  /** Closes the request's connection without an answer, now. */
  drop(socket: Socket): void {
    socket.destroy();
  }

  /**
   * Holds the request's connection open, unanswered, for `ms`, then closes it. The request's socket,
   * not its response's: a response waiting behind another on a pipelined connection has none yet.
   */
  hang(socket: Socket, ms: number): void {
    if (socket.destroyed) return;
    if (this.closed) return void socket.destroy();
    if (this.hung.size >= this.max) this.end(this.hung.keys().next().value!);
    this.hung.set(socket, setTimeout(() => this.end(socket), ms).unref());
    // The sender gave up (its timeout): nothing is left to hold.
    socket.once('close', () => this.forget(socket));
  }

  /** Stopping: every hung connection is closed now, and any hung later is closed at once. */
  closeAll(): void {
    this.closed = true;
    for (const socket of [...this.hung.keys()]) this.end(socket);
  }

  private end(socket: Socket): void {
    this.forget(socket);
    socket.destroy();
  }

  private forget(socket: Socket): void {
    clearTimeout(this.hung.get(socket));
    this.hung.delete(socket);
  }
}
