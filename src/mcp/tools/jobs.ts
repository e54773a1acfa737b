import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { jobRequest } from '../../client/job-request.js';
import { deliveryCounts } from '../../jobs/counts.js';
import type { Job } from '../../wire/jobs.js';
import { durationArg } from '../args.js';
import type { McpContext } from '../context.js';
import { handler } from '../result.js';

export function registerExpect(server: McpServer, context: McpContext): void {
  server.registerTool(
    'expect_job',
    {
      title: 'Expect a job',
      description:
        'Register a job you just submitted to an async API (its job id), so that its webhook is matched to it, even one that came first. ' +
        "Then call wait_for_job. With poll, hook-catch also asks the provider's status endpoint, and flags the job lost when the provider says it ended and no webhook comes within the grace period.",
      inputSchema: {
        jobId: z.string().min(1).describe('the id the provider gave (jobId, taskId, request_id …)'),
        label: z.string().optional().describe('a note to recognise it by'),
        ttl: z.string().optional().describe("how long it may wait for its webhook before it is expired: 30m, 2h (default: the instance's --job-ttl, 7d)"),
        poll: z
          .object({
            url: z.string().min(1).describe("the provider's status endpoint, {jobId} filled in: https://api.example.com/jobs/{jobId}"),
            headers: z
              .array(z.string())
              .optional()
              .describe(
                "headers to send, as 'Name: value'; '$API_KEY' in a value is read from the MCP server's environment, so the secret is never stored or returned",
              ),
            every: z.string().optional().describe('how often to ask at first (it backs off while nothing changes): 30s by default'),
            grace: z.string().optional().describe('how long after the provider says done the webhook may take before the job is lost: 2m by default'),
            statusPath: z.string().optional().describe('where the status word is when the usual rules miss it: body.data.state'),
          })
          .optional()
          .describe("poll the provider's status endpoint too, to catch a lost webhook"),
      },
    },
    handler(async (args: ExpectArgs) => {
      const client = await context.client();
      const { poll } = args;
      const registration = {
        label: args.label,
        ttlMs: durationArg(args.ttl, 'ttl'),
        poll: poll && {
          url: poll.url,
          headers: poll.headers ?? [],
          everyMs: durationArg(poll.every, 'poll.every'),
          graceMs: durationArg(poll.grace, 'poll.grace'),
          statusPath: poll.statusPath,
        },
      };
      return jobState(await client.api<Job>('POST', '/api/jobs', jobRequest(args.jobId, registration)));
    }),
  );
}

interface ExpectArgs {
  jobId: string;
  label?: string;
  ttl?: string;
  poll?: { url: string; headers?: string[]; every?: string; grace?: string; statusPath?: string };
}

/** A job as a tool returns it: where it stands and its counts, not every delivery. */
export function jobState(job: Job) {
  const { deliveries, refused } = deliveryCounts(job);
  return {
    jobId: job.id,
    label: job.label,
    status: job.status,
    expiresAt: job.expiresAt,
    deliveries,
    refused,
    lastRequestId: job.deliveries.findLast((d) => d.source === 'webhook')?.requestId ?? null,
    ...(job.poll && {
      poll: { url: job.poll.url, state: job.poll.state, count: job.poll.count, error: job.poll.error, provider: job.poll.provider, doneAt: job.poll.doneAt },
    }),
  };
}
