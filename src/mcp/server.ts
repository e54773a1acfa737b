import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../version.js';
import type { McpContext } from './context.js';
import { registerExport } from './tools/export.js';
import { registerExpect } from './tools/jobs.js';
import { registerMock } from './tools/mock.js';
import { registerReplay } from './tools/replay.js';
import { registerRequests } from './tools/requests.js';
import { registerRules } from './tools/rules.js';
import { registerUrl } from './tools/url.js';
import { registerWait } from './tools/wait.js';

const INSTRUCTIONS =
  'hook-catch receives webhooks on this machine and keeps each one. The usual loop: webhook_url (give it to the provider), ' +
  'submit the job yourself, expect_job with the id the provider answered, then wait_for_job: it returns the payload when the webhook arrives, ' +
  'or says failed, lost, expired or timeout. list_requests and show_request read what came; replay_request sends one again to your app.';

/** The MCP server with every tool, over `context`'s store folder and instance. */
export function hookCatchMcpServer(context: McpContext): McpServer {
  const server = new McpServer({ name: 'hook-catch', title: 'hook-catch', version: VERSION }, { instructions: INSTRUCTIONS });
  for (const register of [registerUrl, registerExpect, registerWait, registerRequests, registerReplay, registerExport, registerRules, registerMock]) {
    register(server, context);
  }
  return server;
}
