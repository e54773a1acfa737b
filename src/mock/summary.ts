import type { PlayedJob } from './deliveries.js';
import type { MockSummary, UnmatchedRequest } from './types.js';

/** What was played: each job with its sends and their attempts, the counts, the requests that matched nothing. */
export function summaryOf(played: PlayedJob[], polls: number, unmatched: UnmatchedRequest[], unmatchedCount: number): MockSummary {
  const webhooks = { sent: 0, acknowledged: 0, givenUp: 0, notSent: 0 };
  const jobs = played.map((job) => {
    for (const send of job.sends) {
      if (send.attempts.length > 0) webhooks.sent++;
      if (send.acknowledged) webhooks.acknowledged++;
      else if (send.attempts.length === 0) webhooks.notSent++;
      else if (job.settled || send.notSent) webhooks.givenUp++;
    }
    return {
      scenario: job.plan.name,
      recordedId: job.plan.recordedId,
      id: job.id,
      webhookUrl: job.webhookUrl?.href ?? null,
      polls: job.polls,
      sends: job.sends.map((send) => ({ ...send, attempts: [...send.attempts] })),
      settled: job.settled,
    };
  });
  return { jobs, webhooks, polls, unmatched: [...unmatched], unmatchedCount };
}
