import type { AnswerHead, NotAnswered } from './shapes.js';

// The records' JSON shapes are in shapes.ts (the page compiles them); here what holds bytes.
export type { AnsweredRecord, AnswerHead, ForwardInfo, NotAnswered, ReplayRecord, SendFailure, SentRequest } from './shapes.js';

/** What the target answered, or why it did not. */
export type SendResult = Answered | NotAnswered;

export interface Answered extends AnswerHead {
  /** The answer's body, at most the cap the caller gave (see `truncated`). */
  body: Buffer;
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
