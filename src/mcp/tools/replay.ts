import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ReplayAnswer, ReplayRequest } from '../../wire/replay.js';
import { bodyText } from '../body.js';
import type { McpContext } from '../context.js';
import { redactHeaders, redactTarget, type Blanked } from '../redact.js';
import { handler } from '../result.js';
import { redactedNote } from './requests.js';

export function registerReplay(server: McpServer, context: McpContext): void {
  server.registerTool(
    'replay_request',
    {
      title: 'Replay a request',
      description:
        'Send a stored request again to a URL (your app), byte-exact, or edited first (method, path, headers, body). ' +
        "Returns what the target answered (status, headers, body text cut as show_request's). resign: sign it again with the instance's --verify secret.",
      inputSchema: {
        id: z.string().min(1).describe('the request id (full or short), or "last"'),
        to: z.string().min(1).optional().describe("where to: http://localhost:3000/webhooks or a port (default: the instance's --forward URL)"),
        method: z.string().optional().describe('send with this method instead'),
        path: z.string().optional().describe('send to this path (and query) instead, below the target URL'),
        setHeaders: z.record(z.string(), z.string()).optional().describe('headers to set (replacing one of the same name): {"X-Env": "staging"}'),
        removeHeaders: z.array(z.string()).optional().describe('header names to leave out'),
        body: z.string().optional().describe('send this body (text) instead'),
        resign: z.boolean().optional().describe("sign the (edited) body again, timestamped now, with the --verify secret covering the request's path"),
        timeoutMs: z.number().int().min(1).optional().describe('how long to wait for the answer (default 10000)'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    handler(async (args: ReplayArgs) => {
      const client = await context.client();
      const request: ReplayRequest = {
        to: args.to,
        method: args.method,
        path: args.path,
        setHeaders: args.setHeaders && Object.entries(args.setHeaders),
        removeHeaders: args.removeHeaders,
        body: args.body,
        resign: args.resign,
        timeoutMs: args.timeoutMs,
      };
      const { replay, warning } = await client.api<ReplayAnswer>('POST', `/api/requests/${encodeURIComponent(args.id)}/replay`, request);
      const blanked: Blanked = new Set();
      const { result } = replay;
      const said = result.ok
        ? {
            status: result.status,
            headers: redactHeaders(result.headers, blanked),
            body: bodyText({ ...result, contentType: contentTypeOf(result.headers) }, () => 'The rest of the answer is not returned.'),
            latencyMs: result.latencyMs,
            ...(result.truncated && { note: `The answer was ${result.bodySize} bytes; only its start is kept.` }),
          }
        : { error: result.error, failure: result.failure, latencyMs: result.latencyMs };
      return {
        replayId: replay.id,
        of: replay.of,
        to: redactTarget(replay.to, blanked),
        edited: replay.edited,
        ...(replay.resigned && { resigned: replay.resigned }),
        answered: result.ok,
        ...said,
        ...(warning && { warning }),
        ...(replay.warning && { warning: replay.warning }),
        ...redactedNote(blanked),
      };
    }),
  );
}

interface ReplayArgs {
  id: string;
  to?: string;
  method?: string;
  path?: string;
  setHeaders?: Record<string, string>;
  removeHeaders?: string[];
  body?: string;
  resign?: boolean;
  timeoutMs?: number;
}

function contentTypeOf(headers: [string, string][]): string | null {
  return headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
}
