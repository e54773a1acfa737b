import type { Check, WebhookReport } from './deliver-types.js';

/** Every webhook acknowledged (2xx), after however many attempts. */
export function checkAcknowledged(webhooks: WebhookReport[]): Check {
  const problems = webhooks.flatMap((w) =>
    w.sends.filter((s) => !s.acknowledged).map((s) => `${w.label}${s.duplicate ? ' (duplicate)' : ''}: never acknowledged in ${s.attempts.length} attempts (${statuses(s.attempts)})`),
  );
  return { ok: problems.length === 0, rule: 'every webhook finally acknowledged (2xx)', problems };
}

/**
 * The same body answered the same way every time: the last answer to each send of one webhook,
 * and of webhooks with the same method, path and body (a provider's retries), has one status.
 */
export function checkIdempotent(webhooks: WebhookReport[], bodyKey: (w: WebhookReport) => string): Check {
  const groups = new Map<string, { label: string; duplicate: boolean; status: number }[]>();
  for (const w of webhooks) {
    const key = bodyKey(w);
    if (!groups.has(key)) groups.set(key, []);
    for (const s of w.sends) {
      const last = s.attempts.at(-1);
      if (last?.status != null) groups.get(key)!.push({ label: w.label, duplicate: s.duplicate, status: last.status });
    }
  }
  const problems: string[] = [];
  for (const answers of groups.values()) {
    if (new Set(answers.map((a) => a.status)).size <= 1) continue;
    problems.push(`the same body was answered ${answers.map((a) => `${a.status} (${a.label}${a.duplicate ? ', duplicate' : ''})`).join(', then ')}`);
  }
  return { ok: problems.length === 0, rule: 'the same body answered the same way every time (idempotent)', problems };
}

/** A duplicate (a second send, or a second webhook with the same body) never got a 5xx. */
export function checkDuplicatesNo5xx(webhooks: WebhookReport[], bodyKey: (w: WebhookReport) => string): Check {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const w of webhooks) {
    const key = bodyKey(w);
    w.sends.forEach((s, i) => {
      const repeat = s.duplicate || i > 0 || seen.has(key);
      const errors = s.attempts.filter((a) => a.status !== null && a.status >= 500);
      if (repeat && errors.length) problems.push(`${w.label} (duplicate): answered ${errors.map((a) => a.status).join(', ')}`);
    });
    seen.add(key);
  }
  return { ok: problems.length === 0, rule: 'no 5xx after a duplicate', problems };
}

/** `500 → 500 → 200`, `refused → 200`. */
export function statuses(attempts: { status: number | null; failure?: string }[]): string {
  return attempts.map((a) => (a.status === null ? (a.failure ?? 'no answer') : String(a.status))).join(' → ');
}
