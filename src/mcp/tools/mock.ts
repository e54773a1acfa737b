import { resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { parseMockSpeed } from '../../deliver/deliver-plan.js';
import { HookCatchError } from '../../errors.js';
import type { MockProvider, MockSummary } from '../../mock/index.js';
import type { McpContext } from '../context.js';
import { redactTarget } from '../redact.js';
import { handler } from '../result.js';

// The provider double (hook-catch mock) as tools: one at a time, started in this process and
// stopped with the MCP server (or by stop_mock), so an agent can run its app against a recorded
// provider offline and read what was played.

export function registerMock(server: McpServer, context: McpContext): void {
  let running: MockProvider | null = null;
  context.onStop(async () => {
    await running?.close();
  });

  server.registerTool(
    'start_mock',
    {
      title: 'Start the provider double',
      description:
        "Play a provider back offline from scenario files (export_scenario writes them): its API on a local URL (give it to your app as the provider's base URL), " +
        "its webhooks sent to the webhook URL your app's submit names, at the recorded timing or faster. One at a time; stopped by stop_mock or when this server stops.",
      inputSchema: {
        scenarios: z.array(z.string().min(1)).min(1).describe('scenario files, or folders of them (every *.json)'),
        speed: z.string().optional().describe('instant (no waits, the recorded order kept), or how many times faster than recorded: 10x (default 1x)'),
        port: z.number().int().min(0).max(65535).optional().describe('the port to serve on (default 0: any free port)'),
        webhookUrl: z.string().optional().describe('send every webhook here instead of the URL the submit named'),
      },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    handler(async (args: { scenarios: string[]; speed?: string; port?: number; webhookUrl?: string }) => {
      if (running) throw new HookCatchError(`A provider double is already running at ${running.url}: stop_mock stops it.`);
      const { mockProvider } = await import('../../mock/index.js');
      const mock = await mockProvider({
        scenarios: args.scenarios.map((path) => resolve(path)),
        speed: args.speed === undefined ? undefined : parseMockSpeed(args.speed, 'speed'),
        port: args.port ?? 0,
        webhookUrl: args.webhookUrl,
      });
      running = mock;
      return { url: mock.url, port: mock.port, note: "Give url to your app as its provider's API base URL; mock_summary says what was played." };
    }),
  );

  server.registerTool(
    'mock_summary',
    {
      title: 'What the provider double played',
      description:
        'The running provider double: each job submitted and its webhooks (acknowledged, retried, given up), the polls, and requests that matched no recording.',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    handler(async () => summaryOf(runningMock())),
  );

  server.registerTool(
    'stop_mock',
    {
      title: 'Stop the provider double',
      description: 'Stop the running provider double (every webhook still to come is cancelled) and return what it played.',
      inputSchema: {},
      annotations: { readOnlyHint: false, idempotentHint: false },
    },
    handler(async () => {
      const mock = runningMock();
      const summary = summaryOf(mock);
      running = null;
      await mock.close();
      return summary;
    }),
  );

  function runningMock(): MockProvider {
    if (!running) throw new HookCatchError('No provider double is running: start_mock starts one.');
    return running;
  }
}

/** The summary, short: per job its sends' outcome, not every attempt. */
function summaryOf(mock: MockProvider) {
  const summary: MockSummary = mock.summary();
  return {
    url: mock.url,
    webhooks: summary.webhooks,
    polls: summary.polls,
    jobs: summary.jobs.map((job) => ({
      scenario: job.scenario,
      id: job.id,
      webhookUrl: job.webhookUrl,
      polls: job.polls,
      sends: job.sends.map((send) => ({
        send: send.send,
        attempts: send.attempts.length,
        acknowledged: send.acknowledged,
        ...(send.notSent && { notSent: send.notSent }),
      })),
      settled: job.settled,
    })),
    unmatchedCount: summary.unmatchedCount,
    unmatched: summary.unmatched.slice(0, 5).map(({ method, url }) => ({ method, url: redactTarget(url, new Set()) })),
  };
}
