import type { StreamMessage } from './types.js';

export type StreamState = 'connecting' | 'connected' | 'reconnecting';

export interface StreamHandlers {
  /** One frame's messages, in order. */
  messages: (messages: StreamMessage[]) => void;
  state: (state: StreamState, detail: string) => void;
  /** The newest request id the page has seen: a reconnect asks for everything after it. */
  lastId: () => string | null;
}

/** Close code of a reader the server dropped for reading too slowly (src/inspector/stream.ts). */
const TOO_SLOW = 4001;
const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 4000;

/**
 * The live stream, `/ws`, kept open: when it drops (hook-catch restarted, the page was too slow,
 * the laptop slept) it reconnects with `?after=<last id>`, and the server sends what was missed
 * before live events, so the list has no gap and no duplicate.
 */
export function openStream(handlers: StreamHandlers): void {
  let retryMs = FIRST_RETRY_MS;
  let timer: number | undefined;
  let socket: WebSocket | null = null;

  const connect = () => {
    timer = undefined;
    const after = handlers.lastId();
    const url = new URL(`/ws${after ? `?after=${encodeURIComponent(after)}` : ''}`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      handlers.state('connected', 'receiving live events');
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as StreamMessage[];
      handlers.messages(frame);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      const why = event.code === TOO_SLOW ? 'the page fell behind; catching up' : 'hook-catch is not answering; retrying';
      handlers.state('reconnecting', why);
      schedule(event.code === TOO_SLOW ? 0 : retryMs);
      retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
    };
  };
  const schedule = (ms: number) => {
    if (timer === undefined) timer = window.setTimeout(connect, ms);
  };

  handlers.state('connecting', 'opening the live stream');
  connect();
}
