import type { Check, SendReport } from './deliver-types.js';

/** One send as the checks see it: the webhook's label, its body's key, and the send; listed in the order sent. */
export interface SentSend {
  label: string;
  /** Webhooks with the same method, path and body bytes share it (a provider's retries of one event). */
  key: string;
  send: SendReport;
}

/** Every webhook acknowledged (2xx), after however many attempts. */
export function checkAcknowledged(sent: SentSend[]): Check {
  const problems = sent
    .filter(({ send }) => !send.acknowledged)
    .map(
      ({ label, send }) =>
        `${label}${send.duplicate ? ' (duplicate)' : ''}: never acknowledged in ${send.attempts.length} attempts (${statuses(send.attempts)})`,
    );
  return { ok: problems.length === 0, rule: 'every webhook finally acknowledged (2xx)', problems };
}

/**
 * The same body answered the same way every time: the last answer to each send of one webhook,
 * and of webhooks with the same method, path and body (a provider's retries), has one status.
 * The answers are named in the order they were sent.
 */
export function checkIdempotent(sent: SentSend[]): Check {
  const groups = new Map<string, { label: string; duplicate: boolean; status: number }[]>();
  for (const { label, key, send } of sent) {
    const last = send.attempts.at(-1);
    if (last?.status == null) continue;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ label, duplicate: send.duplicate, status: last.status });
  }
  const problems: string[] = [];
  for (const answers of groups.values()) {
    if (new Set(answers.map((a) => a.status)).size <= 1) continue;
    problems.push(`the same body was answered ${answers.map((a) => `${a.status} (${a.label}${a.duplicate ? ', duplicate' : ''})`).join(', then ')}`);
  }
  return { ok: problems.length === 0, rule: 'the same body answered the same way every time (idempotent)', problems };
}

/**
 * A duplicate never got a 5xx: a send is a duplicate when a send of the same body went before it
 * (its second send, or another webhook with the same body). What went first is the original, even
 * when it is the later capture (--shuffle).
 */
export function checkDuplicatesNo5xx(sent: SentSend[]): Check {
  const firstOf = new Map<string, string>();
  const problems: string[] = [];
  for (const { label, key, send } of sent) {
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, label);
      continue;
    }
    const errors = send.attempts.filter((a) => a.status !== null && a.status >= 500);
    const which = send.duplicate || first === label ? 'duplicate' : `same body as ${first}, sent before it`;
    if (errors.length) problems.push(`${label} (${which}): answered ${errors.map((a) => a.status).join(', ')}`);
  }
  return { ok: problems.length === 0, rule: 'no 5xx after a duplicate', problems };
}

/** `500 → 500 → 200`, `refused → 200`. */
export function statuses(attempts: { status: number | null; failure?: string }[]): string {
  return attempts.map((a) => (a.status === null ? (a.failure ?? 'no answer') : String(a.status))).join(' → ');
}
