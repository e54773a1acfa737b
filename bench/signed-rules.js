// The row with response rules and a signature secret: hook-catch started with a rule set (a 202
// with its own body and header on /webhook, a 503 on /billing that this load never hits) and
// `verify: stripe` with a secret; every request carries a valid Stripe-Signature, so each one runs
// the check's whole path (parse, timestamp, HMAC of the body). Forwarding stays off. After the run,
// the newest captures are read back to prove the verdict was valid and the rule answered.
import { createHmac } from 'node:crypto';

const SECRET = 'whsec_benchmarkOnlyNotARealSecret0123456789';
const RULES = [
  { path: '/webhook', status: 202, body: '{"queued":true}', headers: [['X-Queued-By', 'hook-catch bench']] },
  { path: '/billing', status: 503 },
];
/** How many of the newest captures are read back after the run. */
const SAMPLE = 200;

export const SIGNED_RULES_SCENARIO = {
  key: 'hook-catch-rules-verify-32',
  name: 'hook-catch, empty store, response rules + stripe signature check',
  server: 'hook-catch',
  connections: 32,
  options: { rules: RULES, verify: [{ scheme: 'stripe', secret: SECRET }] },
  headers: stripeHeaders,
  check: checkCaptures,
};

/**
 * Stripe-Signature for `body`, signed now: one header for the whole row (the body does not change),
 * well within the 300 s a timestamp may be old.
 */
function stripeHeaders(body) {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.`).update(body).digest('hex');
  return { 'stripe-signature': `t=${t},v1=${v1}` };
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.json();
}

/**
 * The newest SAMPLE captures: each one's signature verdict and answered status; and the newest
 * capture's record, which names the rule that answered. Throws when any is not as it should be,
 * so that the row fails instead of measuring something else.
 */
async function checkCaptures(inspectorUrl) {
  const page = await getJson(`${inspectorUrl}/api/requests?limit=${SAMPLE}`);
  const items = page.items ?? [];
  if (items.length === 0) throw new Error('no capture to check');
  const valid = items.filter((i) => i.signature?.verdict === 'valid').length;
  const by202 = items.filter((i) => i.status === 202).length;
  const newest = await getJson(`${inspectorUrl}/api/requests/${items[0].id}`);
  const checked = {
    sampled: items.length,
    valid,
    answered202: by202,
    verdicts: [...new Set(items.map((i) => i.signature?.verdict ?? 'none'))],
    rule: newest.response?.rule ?? null,
    newestVerdict: newest.signature ?? null,
  };
  if (valid !== items.length || by202 !== items.length || !checked.rule) {
    throw new Error(`the captures are not what this row should measure: ${JSON.stringify(checked)}`);
  }
  return checked;
}

/** The report's line on what was checked. */
export function signedRulesNote(row) {
  const c = row.checked;
  if (!c) return undefined;
  return `the newest ${c.sampled} captures read back: ${c.valid} signature verdicts valid, ${c.answered202} answered 202 by the rule ("${c.rule}")`;
}
