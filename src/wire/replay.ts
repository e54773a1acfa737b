// Replays as the inspector API and the stream send them (`/api/requests/:id/replay…`).
import type { ReplayRecord, SchemeName } from '../capture/shapes.js';

/** What `POST /api/requests/:id/replay` takes: every field may be left out. */
export interface ReplayRequest {
  /** Where to: a URL or a port; default the `--forward` URL. */
  to?: string;
  timeoutMs?: number;
  insecure?: boolean;
  method?: string;
  path?: string;
  /** Every header, in order, replacing the captured ones. */
  headers?: [string, string][];
  setHeaders?: [string, string][];
  removeHeaders?: string[];
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  /** Sign the (edited) body again, timestamped now: `true` with the `--verify` secret covering the capture's path, or with this one. */
  resign?: boolean | { scheme?: SchemeName | 'auto'; secret: string; header?: string | null };
}

/** `POST /api/requests/:id/replay`: the record; `kept: false` and `warning` when the store could not keep it. */
export interface ReplayAnswer {
  replay: ReplayRecord;
  kept: boolean;
  warning?: string;
}

/** `GET /api/requests/:id/replays`. */
export interface ReplayList {
  items: ReplayRecord[];
}

/** A replay as the stream announces it, and as the detail lists it: without its bodies and headers. */
export interface ReplaySummary {
  id: string;
  of: string;
  at: string;
  to: string;
  edited: boolean;
  /** Only when it was signed again. */
  resigned?: SchemeName;
  method: string;
  /** The target's status; null when it did not answer (`error` says why). */
  status: number | null;
  latencyMs: number;
  error?: string;
}
