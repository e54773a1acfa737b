// The response rules as the inspector API and the stream send them (`/api/rules`).

/** A response rule: what the receiver answers instead of `200 {"ok":true,…}`. Every request is still captured. */
export interface ResponseRule {
  id: string;
  /** Only requests whose path starts with this; null: every path. */
  path: string | null;
  /** The status answered (after the failures of `failFirst`). */
  status: number;
  /** The body answered; null: hook-catch's usual `{"ok":…,"id":…}`. */
  body: string | null;
  /** Headers added to the answer. */
  headers: [string, string][];
  /** Wait this long (after the request is stored) before answering. */
  delayMs: number;
  /** The first N deliveries of each job (of each distinct body when no job is known) are answered 500. */
  failFirst: number;
  /** `start`: from `hook-catch start`'s flags, replaced at each start; `api`: added while running, kept. */
  source: 'start' | 'api';
  /** ISO time it was added. */
  createdAt: string;
}

/** `GET /api/rules`: the rules in force, in the order they are tried. */
export interface RuleList {
  items: ResponseRule[];
}

/** What `POST /api/rules` takes (it answers the `ResponseRule` made): every field may be left out. */
export interface RuleRequest {
  /** Path prefix; none: every path. */
  path?: string | null;
  status?: number | string;
  body?: string | null;
  headers?: [string, string][];
  /** A duration (`2s`, `500ms`) or seconds. */
  delay?: string | number;
  delayMs?: number;
  failFirst?: number | string;
}
