import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { pollUntilSettled } from '../../client/wait.js';
import { DEFAULTS } from '../../defaults.js';
import { countsWords, deliveryCounts } from '../../jobs/summary.js';
import { formatDuration } from '../../units.js';
import type { WaitAnswer } from '../../wire/jobs.js';
import { durationArg } from '../args.js';
import { bodyText } from '../body.js';
import type { McpContext } from '../context.js';
import { handler } from '../result.js';
import { readOn } from './requests.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function registerWait(server: McpServer, context: McpContext): void {
  server.registerTool(
    'wait_for_job',
    {
      title: 'Wait for a job',
      description:
        "Block until a job's webhook says it is done, and return its payload. state: completed, failed (the payload says so), " +
        "lost (the provider's status endpoint said it ended and no webhook came: needs expect_job with poll), expired, or timeout " +
        '(nothing yet: call again to keep waiting). Only a webhook answered 2xx counts. Also returns at once when that happened before the call. ' +
        `The payload is cut at ${DEFAULTS.mcpBodyChars} characters (show_request reads on). Registers the job if it is not yet.`,
      inputSchema: {
        jobId: z.string().min(1).describe('the job to wait for'),
        timeout: z
          .string()
          .optional()
          .describe(`how long to wait: 30s, 5m (default ${formatDuration(DEFAULTS.mcpWaitTimeoutMs)}; longer waits need a client that allows them)`),
      },
    },
    handler(async ({ jobId, timeout }: { jobId: string; timeout?: string }, extra: Extra) => {
      const timeoutMs = durationArg(timeout, 'timeout') ?? DEFAULTS.mcpWaitTimeoutMs;
      const client = await context.client();
      const stop = reportProgress(extra, jobId, timeoutMs);
      try {
        return waitResult(await pollUntilSettled(client, jobId, Date.now() + timeoutMs, { signal: extra.signal }), timeoutMs);
      } finally {
        stop();
      }
    }),
  );
}

/**
 * While waiting, a progress notification every DEFAULTS.mcpProgressEveryMs when the client asked for
 * them (a progressToken): a client that resets its request timeout on progress then waits as long as
 * the job takes. Returns what stops them.
 */
function reportProgress(extra: Extra, jobId: string, timeoutMs: number): () => void {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return () => undefined;
  const started = Date.now();
  const timer = setInterval(() => {
    const waited = Date.now() - started;
    const message = `waiting for job ${jobId}: ${formatDuration(waited)} of ${formatDuration(timeoutMs)}`;
    extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: waited, total: timeoutMs, message } }).catch(() => undefined);
  }, DEFAULTS.mcpProgressEveryMs);
  return () => clearInterval(timer);
}

/** How the wait ended, for a model: the state, a sentence saying it, the counts, the payload and its verdicts. */
export function waitResult(answer: WaitAnswer, timeoutMs: number) {
  const { outcome, job, delivery, request } = answer;
  const counts = deliveryCounts(job);
  const base = {
    jobId: job.id,
    state: outcome,
    jobStatus: job.status,
    note: noteOf(answer, timeoutMs),
    deliveries: counts.deliveries,
    refused: counts.refused,
  };
  if (!delivery) return base;
  const settled = {
    ...base,
    requestId: delivery.requestId,
    receivedAt: delivery.receivedAt,
    source: delivery.source,
    statusWord: delivery.statusWord,
    attempt: delivery.attempt,
    duplicate: delivery.duplicate,
  };
  if (!request) return { ...settled, payload: null };
  return {
    ...settled,
    payload: bodyText(request, (offset) => readOn(request.id, offset)),
    ...(request.signature && { signature: request.signature }),
    ...(request.schema && { schema: request.schema }),
  };
}

function noteOf({ outcome, job, delivery, request }: WaitAnswer, timeoutMs: number): string {
  const gone = delivery && !request ? ` Its request ${delivery.requestId} is no longer in the store (deleted, or dropped by --max-requests): no payload.` : '';
  switch (outcome) {
    case 'completed':
    case 'delivered':
      return `Job ${job.id} ${outcome}: ${delivery?.statusWord ? `its webhook said "${delivery.statusWord}"` : 'its webhook came'}.${gone}`;
    case 'failed':
      return `Job ${job.id} failed: its webhook said "${delivery?.statusWord ?? 'failed'}".${gone}`;
    case 'lost': {
      const said = job.poll?.provider?.statusWord ?? 'it ended';
      return `Webhook lost: the provider's status endpoint said "${said}" and no webhook came within ${formatDuration(job.poll?.graceMs ?? 0)}. The payload is the provider's polled answer.${gone}`;
    }
    case 'expired':
      return `Job ${job.id} expired at ${job.expiresAt} with no delivery.`;
    case 'timeout': {
      const counts = deliveryCounts(job);
      const refused = counts.refused ? `; ${countsWords(counts)}, and its provider will usually send it again` : '';
      return `Job ${job.id} did not complete within ${formatDuration(timeoutMs)} (it is ${job.status.replace('_', ' ')}${refused}). Call wait_for_job again to keep waiting.`;
    }
  }
}
