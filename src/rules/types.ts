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

/** What a rule is made from (flags, API, page): every field but `path`/`status` may be left out. */
export type RuleInput = Partial<Omit<ResponseRule, 'id' | 'createdAt' | 'source'>>;

/** What a rule decided for one request. */
export interface Shaped {
  ruleId: string;
  status: number;
  headers: [string, string][];
  /** null: hook-catch's usual JSON answer, with this status. */
  body: string | null;
  delayMs: number;
  /** In plain words, stored with the capture: `rule r1: 500, fail-first 1 of 2`. */
  why: string;
}
