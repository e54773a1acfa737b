import type { Duplex } from 'node:stream';

/** How long a connection hook-catch closes is read on after its answer, at most. */
export const LINGER_MS = 1000;

/**
 * Lets a connection that is about to be closed after an answer be read on until the sender closes
 * its side (LINGER_MS at most): closing with its bytes unread would reset the connection, and the
 * sender could lose the answer (one still writing a large header block, or a body it sent without
 * waiting for `100 Continue`). Call it, then end the socket.
 */
export function linger(socket: Duplex): void {
  const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  if (socket.readableEnded) socket.once('finish', () => socket.destroy());
  else socket.once('end', () => socket.destroy());
  socket.resume();
}

/** The same for a connection node:http closes after its answer (a response with `Connection: close`). */
export function lingerWhenClosed(socket: Duplex & { destroySoon?: () => void }): void {
  socket.destroySoon = () => {
    linger(socket);
    socket.end();
  };
}
