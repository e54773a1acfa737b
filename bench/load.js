// The load generator: autocannon against a child's port, a discarded warm-up, then the measured run.
import autocannon from 'autocannon';

/**
 * One autocannon run; latencies are collected here at full precision (autocannon's own histogram is
 * whole ms). `nextBody`, when given, is called for each request's body instead of sending `body`.
 */
async function fire({ url, body, headers, nextBody, connections, seconds, timeoutS }) {
  const latencies = [];
  const instance = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(timeoutS && { timeout: timeoutS }),
    ...(nextBody && { requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }] }),
    connections,
    duration: seconds,
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  return { result, latencies };
}

/**
 * Warm-up, then `afterWarmup()` (awaited), then the measured run. `headers` are added to each
 * request; `timeoutS` is autocannon's per-request timeout (its default, 10 s, when not given).
 */
export async function measure({ url, body, headers, nextBody, connections, seconds, timeoutS, warmupSeconds = 1, afterWarmup = async () => {} }) {
  const shape = { url, body, headers, nextBody, connections, timeoutS };
  await fire({ ...shape, seconds: warmupSeconds });
  await afterWarmup();
  const { result, latencies } = await fire({ ...shape, seconds });
  const sorted = Float64Array.from(latencies).sort();
  return {
    reqPerSec: result.requests.average,
    total: result.requests.total,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : null,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
  };
}

/** The p-th percentile (nearest rank) of an ascending array; null when empty. */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
