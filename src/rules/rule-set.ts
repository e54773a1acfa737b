import { createHash } from 'node:crypto';
import { notSaved } from '../errors.js';
import type { CapturedRequest } from '../capture/capture.js';
import { checkRule, savedRule, statusText, withoutFramingHeaders } from './check.js';
import { failsByRate, goneWords, keepsState, newState, see, throttledFor, type RuleState } from './chaos.js';
import type { ResponseRule, RuleInput, Shaped } from './types.js';
import { formatFlagDuration } from '../units.js';

export interface RuleSetDeps {
  /** Writes the rules to the store folder; resolves once they are in the file. */
  save: (rules: ResponseRule[]) => Promise<void>;
  /** The job a request would be matched to (fail-first counts per job). */
  jobIdOf: (request: CapturedRequest) => string | null;
  /** Called after the rules changed. */
  onChange?: (rules: ResponseRule[]) => void;
}

/** Keys (jobs, bodies) counted per fail-first rule; the oldest are forgotten beyond this. */
const COUNTED_KEYS = 10_000;

/**
 * The response rules in force: listed, added and removed while running, saved in the store
 * folder. `shape` picks the rule for a request (the longest matching path prefix, the newest of
 * equals) and counts its fail-first deliveries; with no rule it costs a request one check.
 */
export class RuleSet {
  private rules: ResponseRule[];
  private readonly counts = new Map<string, Map<string, number>>();
  /** Per rule with a throttle, gone-after or fail-rate: what it has seen (chaos.ts). */
  private readonly states = new Map<string, RuleState>();
  /** Changes run one at a time, each on the rules the one before left. */
  private changing: Promise<unknown> = Promise.resolve();
  /** What was left out of the saved rules (framing headers), one line each; saved without it at the next change. */
  readonly warnings: string[];

  constructor(
    saved: ResponseRule[],
    private readonly deps: RuleSetDeps,
  ) {
    const checked = withoutFramingHeaders(saved.map(savedRule));
    this.rules = checked.rules;
    this.warnings = checked.warnings;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  list(): ResponseRule[] {
    return this.rules.map((rule) => ({ ...rule, headers: rule.headers.map(([n, v]) => [n, v] as [string, string]) }));
  }

  add(input: RuleInput, source: ResponseRule['source'] = 'api'): Promise<ResponseRule> {
    return this.serially(async () => {
      const rule = this.make(input, source, this.rules);
      await this.set([...this.rules, rule], 'The rule was not added');
      return rule;
    });
  }

  /** Replaces the rules that came from `start`'s flags by `inputs` (the rules added while running stay). */
  replaceStartRules(inputs: RuleInput[]): Promise<void> {
    return this.serially(async () => {
      const next = this.rules.filter((rule) => rule.source !== 'start');
      for (const input of inputs) next.push(this.make(input, 'start', next));
      if (inputs.length || next.length !== this.rules.length || this.warnings.length) await this.set(next, "The rules of start's flags were not put in force");
    });
  }

  remove(id: string): Promise<boolean> {
    return this.serially(async () => {
      const next = this.rules.filter((rule) => rule.id !== id);
      if (next.length === this.rules.length) return false;
      await this.set(next, `Rule ${id} was not removed`);
      return true;
    });
  }

  clear(): Promise<number> {
    return this.serially(async () => {
      const count = this.rules.length;
      if (count) await this.set([], 'The rules were not removed');
      return count;
    });
  }

  /**
   * What the rule for `request` answers, or null when no rule applies. In order: gone-after's 410,
   * the throttle's 429/503, then a failure (fail-first's, fail-rate's: a 500, or the rule's hang or
   * drop), then the rule's own answer (which, with --hang or --drop alone, is none).
   */
  shape(request: CapturedRequest): Shaped | null {
    const rule = this.ruleFor(request.path);
    if (!rule) return null;
    const delay = rule.delayMs ? `, after ${rule.delayMs} ms` : '';
    const state = keepsState(rule) ? this.stateOf(rule) : null;
    if (state) {
      const now = Date.now();
      see(state, now);
      const gone = goneWords(rule, state, now);
      if (gone) return shaped(rule, 410, null, `rule ${rule.id}: 410 Gone on purpose (${gone})${delay}`);
      const wait = throttledFor(rule, state, now);
      if (wait) {
        const { status, ms } = rule.throttle!;
        const why = `rule ${rule.id}: ${statusText(status)} on purpose, Retry-After ${wait} (throttle ${status}:${formatFlagDuration(ms)})${delay}`;
        return shaped(rule, status, null, why, [...rule.headers, ['Retry-After', String(wait)]]);
      }
    }
    if (rule.failFirst > 0) {
      const { key, what } = this.keyOf(request);
      const seen = this.count(rule.id, key);
      if (seen <= rule.failFirst) return failure(rule, `delivery ${seen} of ${what} (fail-first ${rule.failFirst})${delay}`);
    }
    if (state && rule.failRate > 0 && failsByRate(rule, state))
      return failure(rule, `fail-rate ${rule.failRate}% (seed ${rule.seed}, draw ${state.drawn})${delay}`);
    if ((rule.hangMs || rule.drop) && !rule.failFirst && !rule.failRate) return failure(rule, null);
    return shaped(rule, rule.status, rule.body, `rule ${rule.id}: ${statusText(rule.status)}${delay}`);
  }

  private stateOf(rule: ResponseRule): RuleState {
    let state = this.states.get(rule.id);
    if (!state) this.states.set(rule.id, (state = newState(rule)));
    return state;
  }

  private ruleFor(path: string): ResponseRule | undefined {
    let best: ResponseRule | undefined;
    for (const rule of this.rules) {
      if (rule.path !== null && !path.startsWith(rule.path)) continue;
      if (!best || (rule.path?.length ?? 0) >= (best.path?.length ?? 0)) best = rule;
    }
    return best;
  }

  /** The job the request names, or else its body: what fail-first counts deliveries of. */
  private keyOf(request: CapturedRequest): { key: string; what: string } {
    const jobId = this.deps.jobIdOf(request);
    if (jobId !== null) return { key: `job:${jobId}`, what: `job ${jobId}` };
    return { key: `body:${createHash('sha1').update(request.body).digest('base64')}`, what: 'this body' };
  }

  private count(ruleId: string, key: string): number {
    let counts = this.counts.get(ruleId);
    if (!counts) this.counts.set(ruleId, (counts = new Map()));
    const seen = (counts.get(key) ?? 0) + 1;
    counts.delete(key);
    counts.set(key, seen);
    if (counts.size > COUNTED_KEYS) counts.delete(counts.keys().next().value!);
    return seen;
  }

  private make(input: RuleInput, source: ResponseRule['source'], existing: ResponseRule[]): ResponseRule {
    const checked = checkRule(input);
    const next = Math.max(0, ...existing.map((rule) => Number(rule.id.slice(1)) || 0), ...this.rules.map((rule) => Number(rule.id.slice(1)) || 0)) + 1;
    return { id: `r${next}`, ...checked, source, createdAt: new Date().toISOString() };
  }

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const done = this.changing.then(change);
    this.changing = done.catch(() => undefined);
    return done;
  }

  /** Saves `next`, then puts it in force; when it cannot be saved, nothing changes and `what` says what was not done. */
  private async set(next: ResponseRule[], what: string): Promise<void> {
    try {
      await this.deps.save(next);
    } catch (error) {
      throw notSaved(what, error);
    }
    this.rules = next;
    for (const id of this.counts.keys()) if (!next.some((rule) => rule.id === id)) this.counts.delete(id);
    for (const id of this.states.keys()) if (!next.some((rule) => rule.id === id)) this.states.delete(id);
    this.deps.onChange?.(this.list());
  }
}

/**
 * What `rule` answers, in one object literal: spreading a shared part into it (`{...base, status}`)
 * costs microseconds a request on the V8 of Node 20, where this literal costs nanoseconds.
 */
function shaped(
  rule: ResponseRule,
  status: number,
  body: string | null,
  why: string,
  headers = rule.headers,
  unanswered: Shaped['unanswered'] = null,
  hangMs = 0,
): Shaped {
  return { ruleId: rule.id, status, headers, body, delayMs: rule.delayMs, unanswered, hangMs, why };
}

/** A failure the rule gives on purpose: a 500, or no answer when the rule hangs or drops; `how` says which delivery and why. */
function failure(rule: ResponseRule, how: string | null): Shaped {
  const tail = how ? `, ${how}` : '';
  if (rule.hangMs)
    return shaped(
      rule,
      0,
      null,
      `rule ${rule.id}: hung on purpose (no answer, closed after ${formatFlagDuration(rule.hangMs)})${tail}`,
      rule.headers,
      'hung',
      rule.hangMs,
    );
  if (rule.drop) return shaped(rule, 0, null, `rule ${rule.id}: dropped on purpose (closed without an answer)${tail}`, rule.headers, 'dropped');
  return shaped(rule, 500, null, `rule ${rule.id}: 500 on purpose${tail}`);
}
