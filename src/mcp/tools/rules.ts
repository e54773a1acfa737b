import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { DeletedAll, DeletedOne } from '../../wire/requests.js';
import type { ResponseRule, RuleList } from '../../wire/rules.js';
import type { McpContext } from '../context.js';
import { handler } from '../result.js';
import { ruleArguments, ruleRequest, type RuleArguments } from '../rule-request.js';

export function registerRules(server: McpServer, context: McpContext): void {
  server.registerTool(
    'add_rule',
    {
      title: 'Add a response rule',
      description:
        'Change what hook-catch answers webhooks (every request is still captured): a status, body, headers, a delay, failures first, ' +
        "or a provider's worst days (a seeded fail-rate, a 429 throttle with Retry-After, 410 Gone after a count or time, a hang or a dropped connection), " +
        'to see how your app and the provider handle a refused or slow delivery. Rules are tried in order; the rule made is returned with its id.',
      inputSchema: ruleArguments,
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    handler(async (args: RuleArguments) => {
      const client = await context.client();
      return client.api<ResponseRule>('POST', '/api/rules', ruleRequest(args));
    }),
  );

  server.registerTool(
    'list_rules',
    {
      title: 'List response rules',
      description: 'The response rules in force, in the order they are tried (none: every request is answered 200).',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    handler(async () => {
      const client = await context.client();
      return (await client.api<RuleList>('GET', '/api/rules')).items;
    }),
  );

  server.registerTool(
    'clear_rules',
    {
      title: 'Clear response rules',
      description: 'Remove one response rule (by id), or all of them: every request is answered 200 again.',
      inputSchema: { id: z.string().min(1).optional().describe('the rule to remove (default: all)') },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    },
    handler(async ({ id }: { id?: string }) => {
      const client = await context.client();
      if (id) return { removed: (await client.api<DeletedOne>('DELETE', `/api/rules/${encodeURIComponent(id)}`)).deleted };
      return { removed: (await client.api<DeletedAll>('DELETE', '/api/rules')).deleted };
    }),
  );
}
