// What the checks compare: each acknowledged request against what a running hook-catch's API gives
// back (or against the store's files), each acknowledged registration and delivery against its job.
import { api } from './http.js';
import { sha1 } from './rng.js';

/** Runs `fn` over `items`, `concurrency` at a time. */
export async function eachLimited(items, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** What is wrong with a stored request, compared with what was acknowledged; null when nothing is. */
export function mismatch(ack, stored) {
  if (stored.method !== ack.method) return `method ${stored.method}, sent ${ack.method}`;
  if (stored.url !== ack.url) return `url ${stored.url}, sent ${ack.url}`;
  if (stored.bodySha1 !== ack.bodySha1) return `body of ${stored.bodySize} bytes differs from the ${ack.bodySize} sent`;
  return null;
}

/**
 * Every acknowledged request through `GET /api/requests/:id` of a running hook-catch: `missing`
 * (404) and `different` (method, URL or body bytes) list the ids, with what differs.
 */
export async function checkThroughApi(inspectorUrl, acked, agent) {
  const missing = [];
  const different = [];
  await eachLimited(acked, 8, async (ack) => {
    const { status, json, error } = await api(`${inspectorUrl}/api/requests/${ack.id}`, { agent });
    if (status === 404) return missing.push(ack.id);
    if (status !== 200) return different.push({ id: ack.id, why: `the API answered ${status || error}` });
    const body = Buffer.from(json.body, json.bodyEncoding === 'base64' ? 'base64' : 'utf8');
    const why = mismatch(ack, { method: json.method, url: json.url, bodySha1: sha1(body), bodySize: body.length });
    if (why) different.push({ id: ack.id, why });
  });
  return { checked: acked.length, missing, different };
}

/** Every acknowledged request against the store's files (see store-files.js). */
export function checkAgainstFiles(files, acked) {
  const missing = [];
  const different = [];
  for (const ack of acked) {
    const stored = files.requests.get(ack.id);
    if (!stored) missing.push(ack.id);
    else {
      const why = mismatch(ack, stored);
      if (why) different.push({ id: ack.id, why });
    }
  }
  return { checked: acked.length, missing, different };
}

/** A job lists its newest 50 deliveries (src/jobs/registry.ts DELIVERIES_PER_JOB); older ones leave the list. */
export const DELIVERIES_PER_JOB = 50;

/**
 * Jobs through `GET /api/jobs/:id`: each acknowledged registration is there, registered (`source:
 * expect`); each acknowledged delivery (a 2xx request whose body named a job) is among its job's
 * deliveries, or older than all of a full list's (`beyondCap`: dropped by the cap, not lost; ids
 * sort by arrival).
 */
export async function checkJobs(inspectorUrl, registrations, acked, agent) {
  const deliveriesByJob = new Map();
  for (const ack of acked) {
    if (!ack.job) continue;
    if (!deliveriesByJob.has(ack.job)) deliveriesByJob.set(ack.job, []);
    deliveriesByJob.get(ack.job).push(ack.id);
  }
  const registered = new Set(registrations.map((r) => r.id));
  const jobIds = [...new Set([...registered, ...deliveriesByJob.keys()])];
  const lostRegistrations = [];
  const unmatchedDeliveries = [];
  const problems = [];
  let beyondCap = 0;
  await eachLimited(jobIds, 8, async (jobId) => {
    const { status, json } = await api(`${inspectorUrl}/api/jobs/${encodeURIComponent(jobId)}`, { agent });
    const expected = deliveriesByJob.get(jobId) ?? [];
    if (status !== 200) {
      if (registered.has(jobId)) lostRegistrations.push(jobId);
      unmatchedDeliveries.push(...expected);
      if (status !== 404) problems.push(`GET /api/jobs/${jobId} answered ${status}`);
      return;
    }
    if (registered.has(jobId) && json.source !== 'expect') lostRegistrations.push(jobId);
    const found = new Set(json.deliveries.map((d) => d.requestId));
    const oldestListed = json.deliveries.map((d) => d.requestId).sort()[0];
    const full = json.deliveries.length >= DELIVERIES_PER_JOB;
    for (const id of expected) {
      if (found.has(id)) continue;
      if (full && id < oldestListed) beyondCap++;
      else unmatchedDeliveries.push(id);
    }
  });
  const deliveries = [...deliveriesByJob.values()].reduce((n, ids) => n + ids.length, 0);
  return { registrations: registered.size, lostRegistrations, deliveries, jobs: jobIds.length, unmatchedDeliveries, beyondCap, problems };
}
