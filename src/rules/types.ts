import type { ResponseRule } from '../wire/rules.js';

// A rule's shape is the wire contract's (src/wire/rules.ts): the API, the stream and the store keep it as it is.
export type { ResponseRule } from '../wire/rules.js';

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
  /** Set when no answer goes out: `hung` holds the connection `hangMs` then closes it, `dropped` closes it at once (then `status` is 0). */
  unanswered: 'hung' | 'dropped' | null;
  hangMs: number;
  /** In plain words, stored with the capture: `rule r1: 500, fail-first 1 of 2`. */
  why: string;
}
