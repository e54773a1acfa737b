import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ensureRegistered } from '../../client/client.js';
import { webhookUrls } from '../../client/urls.js';
import type { McpContext } from '../context.js';
import { handler } from '../result.js';

export function registerUrl(server: McpServer, context: McpContext): void {
  server.registerTool(
    'webhook_url',
    {
      title: 'Webhook URL',
      description:
        'The URL to give a provider as the webhook (callback) URL: the public one when a tunnel is open, else the local one (with a note). ' +
        'With jobId, the URL ends in /<jobId>, so every webhook sent to it is matched to that job, and the job is registered.',
      inputSchema: { jobId: z.string().min(1).optional().describe('a job id to put in the URL (registered now if it is not yet)') },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    handler(async ({ jobId }: { jobId?: string }) => {
      const client = await context.client();
      if (jobId) await ensureRegistered(client, jobId);
      const urls = webhookUrls(client.instance, jobId);
      const note = urls.publicWebhookUrl
        ? undefined
        : 'No tunnel is open: only this machine can reach webhookUrl. A provider on the internet needs a public URL (start hook-catch with an ngrok token, or --public-url).';
      return { ...urls, ...(note && { note }) };
    }),
  );
}
