import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HookCatchEvents } from '../events.js';
import { jobSummary } from '../jobs/summary.js';
import type { JobEvent } from '../jobs/types.js';
import { summarize, type CapturedRequest } from '../capture/capture.js';
import type { ReplayRecord } from '../capture/records.js';
import type { RequestLog } from '../store/request-log.js';
import { refusal } from './guard.js';
import { listed, type MatchOf } from './summaries.js';
import type { ReplaySummary } from '../wire/replay.js';
import type { Status } from '../wire/status.js';
import type { JobMessage, StreamMessage } from '../wire/stream.js';

export interface StreamDeps {
  events: HookCatchEvents;
  store: RequestLog;
  matchOf: MatchOf;
  /** The inspector's own port, for the Origin check. */
  port: () => number;
  /** The first message a client gets: where to send webhooks, the tunnel, how many are stored. */
  status: () => Status;
  /** A client whose unsent messages pass this many bytes is dropped (it reconnects and resyncs). */
  sendBufferBytes: number;
}

export interface Stream {
  /** The route's first step: the request with this id is on its way (see createRoute). */
  routing: (id: string) => void;
  /** The route's step after the jobs: the request, with its job, to every client. */
  request: (request: CapturedRequest) => void;
  /** The inspector server's `upgrade` handler: `/ws` only, and only for this machine and the inspector's own page. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Closes every client (a connected WebSocket would otherwise keep the server open). */
  close: () => void;
  /** How many clients receive live events now. */
  readonly clients: number;
}

/** A reader that missed more than this many requests is told to reload the list instead (`reset`). */
export const RESYNC_LIMIT = 5000;
/** The close code of a client dropped for reading too slowly. */
export const TOO_SLOW = 4001;
/**
 * Frames go out at most this often (a page draws at most once per screen refresh anyway): a busy
 * receiver sends a reader a few dozen frames a second, not thousands, which costs both ends far less.
 */
const FLUSH_EVERY_MS = 16;
/** The forward queue's length is told at most this often. */
const QUEUE_EVERY_MS = 250;
/** At most this many messages go in one frame (a resync can be thousands). */
const FRAME_MESSAGES = 1000;

/**
 * The live stream of the inspector, `GET /ws`: small JSON summaries, never bodies (`request`,
 * `job`, `forwarded`, `analysis`, `forwardQueue`, `replay`, `rules`, `mock`, `tunnel`, `status`, `deleted`, `cleared`, and `reset`). Each frame is a JSON array of
 * messages in order, at most one frame every FLUSH_EVERY_MS per client: a burst costs a few writes,
 * not one a message. A client that connects with `?after=<id>` first gets every request stored
 * after it, in order, then live events: no gap and no duplicate, also across a restart. A client
 * that does not keep up is dropped, never waited for.
 */
export function createStream(deps: StreamDeps): Stream {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  /** Messages waiting for the next frame, per client. */
  const queued = new Map<WebSocket, string[]>();
  let flushing = false;
  let lastFlush = -Infinity;

  /** `message` is made only when someone listens: with no client, the stream costs a request nothing. */
  const broadcast = (message: () => StreamMessage) => {
    if (clients.size === 0) return;
    const text = JSON.stringify(message());
    for (const ws of clients) send(ws, text);
  };
  /** One message to one client (its first ones: status, what it missed). */
  const tell = (ws: WebSocket, message: StreamMessage) => send(ws, JSON.stringify(message));
  const send = (ws: WebSocket, text: string) => {
    const list = queued.get(ws);
    if (list) list.push(text);
    else queued.set(ws, [text]);
    if (!flushing) {
      flushing = true;
      const wait = lastFlush + FLUSH_EVERY_MS - performance.now();
      if (wait > 0) setTimeout(flush, wait);
      else setImmediate(flush);
    }
  };
  const flush = () => {
    flushing = false;
    lastFlush = performance.now();
    for (const [ws, texts] of queued) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > deps.sendBufferBytes) drop(ws);
      else for (let i = 0; i < texts.length; i += FRAME_MESSAGES) ws.send(`[${texts.slice(i, i + FRAME_MESSAGES).join(',')}]`);
    }
    queued.clear();
  };
  const drop = (ws: WebSocket) => {
    clients.delete(ws);
    ws.close(TOO_SLOW, 'too slow: reconnect with ?after=<last id> to resync');
    setTimeout(() => ws.terminate(), 1000).unref(); // a client that reads nothing never answers the close
  };

  // A delivery found while its own request is on its way is told by that request's message (its
  // `job`), not by a `job` message too: one message a webhook, not two. The route tells the stream
  // which request that is before the jobs match it (routing), and the stream forgets it once sent.
  let capturing: string | null = null;
  const routing = (id: string) => void (capturing = id);
  const request = (captured: CapturedRequest) => {
    capturing = null;
    broadcast(() => ({ type: 'request', request: listed(summarize(captured), deps.matchOf) }));
  };
  deps.events.on('job', (event) => {
    if (event.type === 'delivered' && event.delivery.requestId === capturing) return;
    broadcast(() => jobMessage(event));
  });
  deps.events.on('tunnel', (status, publicUrl) => broadcast(() => ({ type: 'tunnel', status, publicUrl })));
  deps.events.on('forwarded', (id, note) => broadcast(() => ({ type: 'forwarded', id, status: note.answered, forward: note.forward })));
  deps.events.on('analysis', (id, note) => broadcast(() => ({ type: 'analysis', id, ...note })));
  deps.events.on('forwardQueue', (queue) => queueChanged(queue));
  deps.events.on('replayed', (record) => broadcast(() => ({ type: 'replay', replay: replaySummary(record) })));
  deps.events.on('rules', (rules) => broadcast(() => ({ type: 'rules', rules })));
  deps.events.on('deleted', (id) => broadcast(() => ({ type: 'deleted', id })));
  deps.events.on('cleared', (count) => broadcast(() => ({ type: 'cleared', count })));
  deps.events.on('mock', (event) => broadcast(() => ({ type: 'mock', event })));

  // The forward queue changes with every capture under load: told at most every QUEUE_EVERY_MS, as it stands then.
  let queueNow: { waiting: number; sending: number } | null = null;
  const queueChanged = (queue: { waiting: number; sending: number }) => {
    if (queueNow === null)
      setTimeout(() => {
        const { waiting, sending } = queueNow!;
        queueNow = null;
        broadcast(() => ({ type: 'forwardQueue', waiting, sending }));
      }, QUEUE_EVERY_MS).unref();
    queueNow = queue;
  };

  /** Sends what the client missed, then adds it to the live clients: all in one turn, so nothing comes between. */
  function welcome(ws: WebSocket, after: string | null): void {
    ws.on('error', () => undefined);
    ws.on('close', () => clients.delete(ws));
    tell(ws, { type: 'status', ...deps.status() });
    if (after !== null) {
      const missed = deps.store.summariesAfter(after, RESYNC_LIMIT);
      if (missed === null) tell(ws, { type: 'reset', reason: `more than ${RESYNC_LIMIT} requests since ${after}, or not an id: reload the list` });
      else for (const summary of missed) tell(ws, { type: 'request', request: listed(summary, deps.matchOf) });
    }
    if (ws.readyState === ws.OPEN) clients.add(ws);
  }

  return {
    routing,
    request,
    upgrade(req, socket, head) {
      socket.on('error', () => undefined);
      const url = new URL(req.url ?? '/', 'http://inspector');
      const refused = url.pathname !== '/ws' ? 'No such endpoint: the live stream is /ws.' : refusal(req.headers, deps.port(), true);
      if (refused) return void socket.end(httpRefusal(url.pathname === '/ws' ? 403 : 404, refused));
      wss.handleUpgrade(req, socket, head, (ws) => welcome(ws, url.searchParams.get('after')));
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      clients.clear();
      queued.clear();
      wss.close();
    },
    get clients() {
      return clients.size;
    },
  };
}

/** A replay without its bodies and headers: the page fetches the record when it shows it. */
function replaySummary(record: ReplayRecord): ReplaySummary {
  const { result } = record;
  return {
    id: record.id,
    of: record.of,
    at: record.at,
    to: record.to,
    edited: record.edited,
    ...(record.resigned && { resigned: record.resigned }),
    method: record.sent.method,
    ...(result.ok ? { status: result.status, latencyMs: result.latencyMs } : { status: null, latencyMs: result.latencyMs, error: result.error }),
  };
}

function jobMessage(event: JobEvent): JobMessage {
  const job = jobSummary(event.job);
  if (event.type === 'delivered') return { type: 'job', event: event.type, job, delivery: event.delivery };
  if (event.type === 'status') return { type: 'job', event: event.type, job, from: event.from, to: event.to };
  return { type: 'job', event: event.type, job };
}

function httpRefusal(status: number, message: string): string {
  const body = JSON.stringify({ error: message }) + '\n';
  const reason = status === 403 ? 'Forbidden' : 'Not Found';
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
