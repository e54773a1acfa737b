/** `9 min`, `45 s`, `5 min 20 s`, `3 h 12 min`, `2 d`: a span of seconds in words, to the unit that matters. */
export function span(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d`;
}

/**
 * `timestamp 9 min old, tolerance 5 min`, or `… in the future …` (unless `pastOnly`, as Stripe,
 * Slack and Paddle check); null when within the tolerance.
 */
export function timestampProblem(signedAt: number, receivedAtMs: number, toleranceSeconds: number, pastOnly = false): string | null {
  const age = receivedAtMs / 1000 - signedAt;
  if (Math.abs(age) <= toleranceSeconds || (pastOnly && age < 0)) return null;
  const tolerance = span(toleranceSeconds);
  let amount = span(age);
  // "6 min old, tolerance 5 min" reads right; "5 min old, tolerance 5 min" does not: say the seconds
  // (of a tolerance in seconds, as Paddle's 5 s: the milliseconds).
  if (amount === tolerance) {
    const abs = Math.abs(age);
    amount = toleranceSeconds < 60 ? `${Number(abs.toFixed(3))} s` : `${Math.floor(abs / 60)} min ${Math.floor(abs % 60)} s`;
  }
  return `timestamp ${amount} ${age > 0 ? 'old' : 'in the future'}, tolerance ${tolerance}`;
}

/** `1st`, `2nd`, `3rd`, `4th`. */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
