// A realistic ~1 KB webhook body: an async job provider telling us a job has finished.
export function webhookPayload(n = 0) {
  const jobId = `job_${(1e9 + n).toString(36)}_7f3a9c2e`;
  const payload = {
    id: `evt_${(5e9 + n).toString(36)}c41d`,
    type: 'job.completed',
    apiVersion: '2024-06-01',
    createdAt: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
    jobId,
    status: 'succeeded',
    message: 'Job finished; output kept for 30 days.',
    attempt: 1,
    result: {
      outputUrl: `https://files.example.com/outputs/${jobId}/result.json`,
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
    links: { self: `https://api.example.com/v1/jobs/${jobId}`, logs: `https://api.example.com/v1/jobs/${jobId}/logs` },
  };
  return JSON.stringify(payload);
}
