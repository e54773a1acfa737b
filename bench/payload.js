// A realistic ~1 KB webhook body: an async job provider telling us how a job is doing.

/** The id the provider gives job number `index`. */
export function jobId(index) {
  return `job_${(1e9 + index).toString(36)}_7f3a9c2e`;
}

/**
 * Delivery `n` (its event id and time); `job` is the index of the job it names, `status` what it
 * says: `succeeded` (finished) or a progress word such as `running`.
 */
export function webhookPayload(n = 0, { job = n, status = 'succeeded' } = {}) {
  const id = jobId(job);
  const finished = status === 'succeeded';
  const payload = {
    id: `evt_${(5e9 + n).toString(36)}c41d`,
    type: finished ? 'job.completed' : 'job.progress',
    apiVersion: '2024-06-01',
    createdAt: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
    jobId: id,
    status,
    message: finished ? 'Job finished; output kept for 30 days.' : 'Job is running; output follows when done.',
    attempt: 1,
    result: {
      outputUrl: `https://files.example.com/outputs/${id}/result.json`,
      durationMs: 48211 + (n % 997),
      pages: 12,
      items: [
        { name: 'invoice-2025-001.pdf', sizeBytes: 183422, checksum: 'sha256:9c1185a5c5e9fc54612808977ee8f548b2258d31' },
        { name: 'invoice-2025-002.pdf', sizeBytes: 90211, checksum: 'sha256:60303ae22b998861bce3b28f33eec1be758a213c' },
        { name: 'summary.csv', sizeBytes: 4410, checksum: 'sha256:86f7e437faa5a7fce15d1ddcb9eaeaea377667b8' },
      ],
      metrics: { cpuSeconds: 31.7, peakMemoryMb: 812, retries: 0, region: 'eu-west-1' },
    },
    metadata: { customerId: 'cus_Q8d2LmN4pX', orderRef: 'PO-55123', tags: ['batch', 'nightly', 'priority-normal'] },
    links: { self: `https://api.example.com/v1/jobs/${id}`, logs: `https://api.example.com/v1/jobs/${id}/logs` },
  };
  return JSON.stringify(payload);
}

/**
 * The bodies a provider sends for `jobCount` jobs, one after another: each call names the next job
 * round-robin. A job hears "running", "running", then "succeeded", and the cycle goes on for as long
 * as the load runs (each delivery is a new event, never a retry).
 */
export function jobDeliveries(jobCount) {
  let n = 0;
  return () => {
    const pass = Math.floor(n / jobCount);
    const body = webhookPayload(n, { job: n % jobCount, status: pass % 3 === 2 ? 'succeeded' : 'running' });
    n++;
    return body;
  };
}
