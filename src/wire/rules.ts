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
  /** This share of requests, in percent (0: none), fails as fail-first's do, picked by `seed`'s sequence. */
  failRate: number;
  /** With `failRate`: the same seed and the same requests in the same order fail the same ones; null without a fail-rate. */
  seed: number | null;
  /**
   * Answer `status` (429 or 503) with Retry-After (the whole seconds left) for `ms`, counted from the
   * first request the rule sees; then the rule's other answers. Null: no throttle.
   */
  throttle: { status: number; ms: number } | null;
  /** Answer 410 Gone once the rule has seen `count` requests, or `ms` after its first one. Null: never. */
  goneAfter: { count: number } | { ms: number } | null;
  /**
   * Answer nothing, keeping the connection open this long (ms), then close it (0: answer). With
   * fail-first or fail-rate, only their failures hang; without, every request the rule answers.
   */
  hangMs: number;
  /** Close the connection without an answer (the same with fail-first or fail-rate as `hangMs`). */
  drop: boolean;
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
  /** A percent: `30%`, `30` or 30. */
  failRate?: number | string;
  seed?: number | string | null;
  /** `429:30s`, or `{status, ms}`. */
  throttle?: string | { status: number; ms: number } | null;
  /** A count (`100`, 100) or a duration (`30s`), or `{count}` / `{ms}`. */
  goneAfter?: string | number | { count: number } | { ms: number } | null;
  /** true (the default time, 60 s) or a duration (`30s`) or seconds. */
  hang?: boolean | string | number;
  hangMs?: number;
  drop?: boolean;
}
