import type { EncodedBody } from './encoded-body.js';
import type { SchemeName } from './signature.js';

/** Why a target gave no answer, as a word a script can test (the message says it in plain words). */
export type SendFailure = 'bad-url' | 'refused' | 'timeout' | 'tls' | 'dns' | 'reset' | 'loop' | 'other';

/** What the target answered, or why it did not. */
export type SendResult = Answered | NotAnswered;

export interface Answered {
  ok: true;
  status: number;
  statusText: string;
  /** The answer's headers as received: order, case and duplicates kept. */
  headers: [string, string][];
  /** The answer's body, at most the cap the caller gave (see `truncated`). */
  body: Buffer;
  /** The size of the whole answer body in bytes. */
  bodySize: number;
  /** True when the body was longer than the cap and only its start is kept. */
  truncated: boolean;
  /** From the start of the request to the end of the answer. */
  latencyMs: number;
}

export interface NotAnswered {
  ok: false;
  failure: SendFailure;
  /** One line in plain words: what happened and what to do. */
  error: string;
  latencyMs: number;
}

/** What a user may change before a capture is sent again (replay with edits). */
export interface Edits {
  method?: string;
  /** A new path and query (`/webhook?x=1`), replacing the captured one. */
  path?: string;
  /** Every header, in order: replaces the captured ones (then `setHeaders` and `removeHeaders` apply). */
  headers?: [string, string][];
  /** Headers set (replacing any of the same name, where the first of them was) or added at the end. */
  setHeaders?: [string, string][];
  /** Header names removed (any case). */
  removeHeaders?: string[];
  /** A new body: Content-Length is computed again. */
  body?: Buffer;
}

/** The request as it was sent again (kept for an edited replay, which may differ in every part). */
export interface SentRequest {
  method: string;
  /** Path and query sent, below the target's path. */
  url: string;
  headers: [string, string][];
}

/** One replay of a capture, as the store keeps it and the API and `show` list it. */
export interface ReplayRecord {
  /** The replay's own id. */
  id: string;
  /** The capture it sent again. */
  of: string;
  /** ISO time it was sent. */
  at: string;
  /** The full URL it was sent to. */
  to: string;
  /** True when the method, path, headers or body were changed first (or it was signed again). */
  edited: boolean;
  /** The scheme it was signed again under (`--resign`), with a fresh timestamp. */
  resigned?: SchemeName;
  /** Why the target likely refused it, said before it was sent: a signature over the URL it was sent to (Twilio's), now another. */
  warning?: string;
  /** What was sent: for an edited replay, the body too (an unedited one sent the capture's exact bytes). */
  sent: SentRequest & Partial<EncodedBody> & { bodySize: number };
  /** The target's answer (its body at most DEFAULTS.keptAnswerBytes), or why there was none. */
  result: AnsweredRecord | Omit<NotAnswered, 'ok'> & { ok: false };
  /** Only on a replay that was sent but could not be kept in the store (a full disk): why. */
  notKept?: string;
}

export type AnsweredRecord = Omit<Answered, 'body'> & EncodedBody;

/** What the user's app answered a forwarded capture, stored with it. */
export interface ForwardInfo {
  /** The app's status, or null when it did not answer (then `error` says why). */
  status: number | null;
  latencyMs: number;
  error?: string;
  /** True when hook-catch never sent it (`error` says why, starting `not forwarded:`). */
  notSent?: true;
}
