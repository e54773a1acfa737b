// The stored requests as the inspector API and the stream send them (`/api/requests…`).
export type { EventCount, EventCounts, EventType } from '../capture/shapes.js';
import type { EncodedBody, ReplayRecord, RequestFields, RequestSummary, SchemeName, SignatureVerdict } from '../capture/shapes.js';
import type { JobMatch } from './jobs.js';

/** A request as lists and the stream show it: its summary with its job match, so no second call is needed. */
export type ListedRequest = RequestSummary & { job: JobMatch | null };

/** `GET /api/requests`: newest first; `nextBefore` asks for the next (older) page, null at the end. */
export interface RequestPage {
  items: ListedRequest[];
  total: number;
  nextBefore: string | null;
}

/** `GET /api/requests/:id`: the capture with its body as text or base64, its summary as lists show it, and its replays. */
export type RequestRecord = RequestFields & EncodedBody & { summary: ListedRequest; replays: ReplayRecord[] };

/** `DELETE /api/requests/:id`, `DELETE /api/rules/:id`: the id deleted. */
export interface DeletedOne {
  deleted: string;
}

/** `DELETE /api/requests`, `DELETE /api/rules`: how many were deleted. */
export interface DeletedAll {
  deleted: number;
}

/** What `POST /api/requests/:id/verify` takes: the secret is never stored nor echoed. */
export interface VerifyRequest {
  secret: string;
  /** The scheme; `auto` (the default) finds it from the headers. */
  scheme?: SchemeName | 'auto';
  /** For hmac-sha256 / hmac-sha1: the header holding the signature. */
  header?: string;
  toleranceSeconds?: number;
}

/** `POST /api/requests/:id/verify`: the verdict the secret gives the capture. */
export interface VerifyAnswer {
  signature: SignatureVerdict;
}

/** `POST /api/requests/import`: the ids the imported fixtures were stored under, in order. */
export interface ImportAnswer {
  ids: string[];
}

/** Every answer that is not 2xx: what happened and what to do, in one line. */
export interface ErrorAnswer {
  error: string;
}
