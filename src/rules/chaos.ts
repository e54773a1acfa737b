import { seededRandom } from '../seeded-random.js';
import { formatFlagDuration } from '../units.js';
import type { ResponseRule } from './types.js';

// What a rule remembers between requests for its throttle, gone-after and fail-rate: how many
// requests it has seen, when the first came, and where its seeded sequence stands. Kept in memory
// only: a restart (or a change of the rules) starts every rule's clock and sequence over.

export interface RuleState {
  /** Requests the rule has seen, this one included. */
  seen: number;
  /** When the first came (ms since the epoch): throttle and gone-after windows start then. */
  firstAt: number;
  /** The seeded sequence's next number in [0, 1), one per request the fail-rate decides. */
  draw: () => number;
  /** How many numbers were drawn: said with a failure, so that a run can be followed. */
  drawn: number;
}

export function newState(rule: ResponseRule): RuleState {
  return { seen: 0, firstAt: -1, draw: seededRandom(rule.seed ?? 0), drawn: 0 };
}

/** True when the rule has a throttle, gone-after or fail-rate: the parts that keep a state. */
export function keepsState(rule: ResponseRule): boolean {
  return rule.throttle !== null || rule.goneAfter !== null || rule.failRate > 0;
}

/** Counts the request and starts the clock at the first. */
export function see(state: RuleState, now: number): void {
  state.seen++;
  if (state.firstAt < 0) state.firstAt = now;
}

/** `gone after 3 requests`, `gone after 30s`, when the rule's gone-after has come; else null. */
export function goneWords(rule: ResponseRule, state: RuleState, now: number): string | null {
  const gone = rule.goneAfter;
  if (!gone) return null;
  if ('count' in gone) return state.seen > gone.count ? `gone after ${gone.count} request${gone.count === 1 ? '' : 's'}` : null;
  return now - state.firstAt >= gone.ms ? `gone after ${formatFlagDuration(gone.ms)}` : null;
}

/** The whole seconds left of the throttle's window (at least 1), or 0 when it is over or there is none. */
export function throttledFor(rule: ResponseRule, state: RuleState, now: number): number {
  if (!rule.throttle) return 0;
  const left = state.firstAt + rule.throttle.ms - now;
  return left > 0 ? Math.max(1, Math.ceil(left / 1000)) : 0;
}

/** Whether the fail-rate fails this request: the next number of the seeded sequence, under the rate. */
export function failsByRate(rule: ResponseRule, state: RuleState): boolean {
  state.drawn++;
  return state.draw() * 100 < rule.failRate;
}
