import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DEFAULTS } from '../../defaults.js';
import type { ListedRequest, RequestPage, RequestRecord } from '../../wire/requests.js';
import { bodyText } from '../body.js';
import type { McpContext } from '../context.js';
import { redactHeaders, redactTarget, type Blanked } from '../redact.js';
import { handler } from '../result.js';

/** How a cut result says to read on. */
export const readOn = (id: string, offset: number) => `Call show_request with id "${id}" and offset ${offset} for the rest.`;

export function registerRequests(server: McpServer, context: McpContext): void {
  server.registerTool(
    'list_requests',
    {
      title: 'List requests',
      description:
        'The stored requests (webhooks and the rest), newest first, as short summaries: id, time, method, path, the status answered, size, event type, job match, signature verdict. ' +
        'Filters as the inspector API: text search, method, path prefix, job, event type, drift; stored counts every request stored. show_request gives one in full.',
      inputSchema: {
        limit: z.number().int().min(1).max(1000).optional().describe(`how many (default ${DEFAULTS.mcpListLimit})`),
        before: z.string().optional().describe("an id: only older ones (a result's nextBefore pages on)"),
        q: z.string().optional().describe('only those whose URL, headers or body contain this text (any case)'),
        method: z.string().optional().describe('only this method: POST'),
        path: z.string().optional().describe('only paths starting with this: /webhook/stripe'),
        job: z.string().optional().describe("only this job's deliveries"),
        event: z.string().optional().describe('only this event type, family or * pattern: invoice.paid, issues, checkout.*'),
        drift: z.boolean().optional().describe('only captures whose body drifted from earlier ones of their event type (a new, missing or retyped field)'),
      },
      annotations: { readOnlyHint: true },
    },
    handler(async (args: ListArgs) => {
      const client = await context.client();
      const query = new URLSearchParams({ limit: String(args.limit ?? DEFAULTS.mcpListLimit) });
      for (const name of ['before', 'q', 'method', 'path', 'job', 'event'] as const) if (args[name]) query.set(name, args[name]);
      if (args.drift) query.set('drift', '1');
      const page = await client.api<RequestPage>('GET', `/api/requests?${query}`);
      const blanked: Blanked = new Set();
      return { stored: page.total, items: page.items.map((item) => summaryOf(item, blanked)), nextBefore: page.nextBefore, ...redactedNote(blanked) };
    }),
  );

  server.registerTool(
    'show_request',
    {
      title: 'Show a request',
      description:
        'One stored request: method, URL, headers, what hook-catch answered, its job, signature and schema verdicts, and its body as text ' +
        `(at most ${DEFAULTS.mcpBodyChars} characters from offset; a binary body is described, not shown). Credential and signature header values and key-like query values are redacted.`,
      inputSchema: {
        id: z.string().min(1).describe('the request id (full or short), or "last"'),
        offset: z.number().int().min(0).optional().describe('where to start reading the body, in characters (a cut result says which offset comes next)'),
        length: z
          .number()
          .int()
          .min(1)
          .max(DEFAULTS.mcpBodyChars)
          .optional()
          .describe(`how many characters of the body (default and most ${DEFAULTS.mcpBodyChars})`),
      },
      annotations: { readOnlyHint: true },
    },
    handler(async ({ id, offset, length }: { id: string; offset?: number; length?: number }) => {
      const client = await context.client();
      const record = await client.api<RequestRecord>('GET', `/api/requests/${encodeURIComponent(id)}`);
      const blanked: Blanked = new Set();
      return {
        id: record.id,
        receivedAt: record.receivedAt,
        method: record.method,
        url: redactTarget(record.url, blanked),
        headers: redactHeaders(record.headers, blanked),
        remoteAddress: record.remoteAddress,
        response: record.response,
        ...(record.forward && { forward: record.forward }),
        job: record.summary.job,
        ...(record.summary.event && { event: record.summary.event }),
        ...(record.signature && { signature: record.signature }),
        ...(record.schema && { schema: record.schema }),
        ...(record.poll && { poll: record.poll }),
        body: bodyText(record, (next) => readOn(record.id, next), { offset, limit: length }),
        replays: record.replays.length,
        ...redactedNote(blanked),
      };
    }),
  );
}

interface ListArgs {
  limit?: number;
  before?: string;
  q?: string;
  method?: string;
  path?: string;
  job?: string;
  event?: string;
  drift?: boolean;
}

/** A listed request, short: what a model needs to pick one to show. */
function summaryOf(item: ListedRequest, blanked: Blanked) {
  return {
    id: item.id,
    receivedAt: item.receivedAt,
    method: item.method,
    url: redactTarget(item.url, blanked),
    status: item.status,
    contentType: item.contentType,
    bodySize: item.bodySize,
    ...(item.event && { event: item.event.type }),
    ...(item.job && {
      job: { jobId: item.job.jobId, status: item.job.status, attempt: item.job.attempt, duplicate: item.job.duplicate, refused: item.job.refused },
    }),
    ...(item.signature && { signature: item.signature.verdict }),
    ...(item.schema && { schema: item.schema.verdict }),
  };
}

export function redactedNote(blanked: Blanked): { redacted?: string[] } {
  return blanked.size ? { redacted: [...blanked] } : {};
}
