import { pathReason, whyNot, type MatchRules, type Shape } from './match.js';
import type { Plan, PollGroup } from './plan.js';

/** A recorded request near an unmatched one, and why it did not match. */
export interface Closest {
  scenario: string;
  /** `GET /ai/status/v1/jobs/{id}`: `{id}` stands for the job id. */
  request: string;
  why: string;
}

/** A played job, as far as routing needs it: its plan, and the id it was given. */
export interface Routable {
  plan: Plan;
  id: string;
}

export type Route<J extends Routable> = { kind: 'submit'; plan: Plan } | { kind: 'poll'; job: J; group: PollGroup } | { kind: 'none'; closest: Closest[] };

const NO_RULES: MatchRules = { ignoreQuery: new Set(), ignoreBody: [], exactBody: [] };

/**
 * Finds what a live request is: a poll of a job this mock gave out (found by its id among the
 * path's segments and the query's values: a lookup, not a scan of the jobs), a submit of a
 * scenario (by method and path, then query keys and body shape; scenarios of the same submit are
 * served in turn), or nothing, with the closest recorded requests.
 */
export class Router<J extends Routable> {
  private readonly submits = new Map<string, { plans: Plan[]; next: number }>();

  constructor(
    private readonly plans: Plan[],
    private readonly jobs: Map<string, J>,
  ) {
    for (const plan of plans) {
      const key = `${plan.submitShape.method} ${plan.submitShape.path}`;
      const entry = this.submits.get(key) ?? this.submits.set(key, { plans: [], next: 0 }).get(key)!;
      entry.plans.push(plan);
    }
  }

  route(live: Shape, query: [string, string][]): Route<J> {
    const job = this.jobNamed(live.path, query);
    const group = job?.plan.polls.find((poll) => this.isPoll(live, poll, job));
    if (job && group) return { kind: 'poll', job, group };
    const entry = this.submits.get(`${live.method} ${live.path}`);
    if (entry) {
      // The first that matches from where the last one served left off: the first unused, then round-robin.
      for (let n = 0; n < entry.plans.length; n++) {
        const at = (entry.next + n) % entry.plans.length;
        const plan = entry.plans[at]!;
        if (whyNot(live, plan.submitShape, plan.rules).length > 0) continue;
        entry.next = at + 1;
        return { kind: 'submit', plan };
      }
    }
    return { kind: 'none', closest: this.closest(live) };
  }

  private jobNamed(path: string, query: [string, string][]): J | undefined {
    for (const segment of path.split('/')) {
      const job = segment && this.jobs.get(safeDecode(segment));
      if (job) return job;
    }
    for (const [, value] of query) {
      const job = this.jobs.get(value);
      if (job) return job;
    }
    return undefined;
  }

  private isPoll(live: Shape, group: PollGroup, job: J): boolean {
    const recorded = group.shape;
    if (live.method !== recorded.method || live.path !== recorded.path.split(job.plan.recordedId).join(job.id)) return false;
    return whyNot(live, recorded, { ...NO_RULES, ignoreQuery: job.plan.rules.ignoreQuery }).length === 0;
  }

  /** At most 3 recorded requests, nearest first: same method and path before same path alone. */
  private closest(live: Shape): Closest[] {
    const known = (id: string) => this.jobs.has(id);
    const scored: (Closest & { score: number })[] = [];
    const seen = new Set<string>();
    for (const plan of this.plans) {
      const candidates: [Shape, string | null, MatchRules][] = [
        [plan.submitShape, null, plan.rules],
        ...plan.polls.map((g): [Shape, string, MatchRules] => [g.shape, plan.recordedId, NO_RULES]),
      ];
      for (const [shape, id, rules] of candidates) {
        const request = `${shape.method} ${id ? shape.path.split(id).join('{id}') : shape.path}`;
        if (seen.has(`${plan.name} ${request}`)) continue;
        seen.add(`${plan.name} ${request}`);
        const path = pathReason(live.path, shape.path, id, known);
        const reasons = [...(path ? [path] : []), ...whyNot(live, shape, rules)];
        const score = (live.method === shape.method ? 0 : 100) + (path?.startsWith('path ') ? 10 : 0) + reasons.length;
        scored.push({ scenario: plan.name, request, why: reasons.join('; ') || 'it matches, but its job was not submitted here', score });
      }
    }
    return scored
      .sort((a, b) => a.score - b.score)
      .slice(0, 3)
      .map(({ score: _score, ...closest }) => closest);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
