import { resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { HookCatchError } from '../../errors.js';
import { exportWithReport } from '../../fixtures/export.js';
import { DEFAULT_REDACT } from '../../fixtures/redact.js';
import { selectRequests } from '../../fixtures/select.js';
import { readJobsOffline } from '../../jobs/offline.js';
import { exportScenarios } from '../../scenario/write.js';
import type { McpContext } from '../context.js';
import { handler } from '../result.js';

// Both read the store on --dir as `hook-catch export` does (a running instance's too, without
// changing it) and write files: a relative `out` is below the folder the MCP server runs in.

export function registerExport(server: McpServer, context: McpContext): void {
  server.registerTool(
    'export_fixtures',
    {
      title: 'Export fixtures',
      description:
        "Write stored requests as fixture files (hook-catch/fixture@1, one JSON file each), for your app's tests: a job's webhooks, some ids, or the newest. " +
        'Credential and signature headers are blanked (as export --redact-default). Returns the paths written.',
      inputSchema: {
        out: z.string().min(1).describe('the folder to write into (created if needed): test/fixtures'),
        job: z.string().optional().describe("only this job's deliveries"),
        ids: z.array(z.string()).optional().describe('only these request ids'),
        last: z.number().int().min(1).optional().describe('only the newest n'),
        har: z.boolean().optional().describe('one HAR 1.2 file instead of fixture files'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    handler(async (args: { out: string; job?: string; ids?: string[]; last?: number; har?: boolean }) => {
      const { registry, log } = await readJobsOffline(context.dir);
      try {
        const requests = await selectRequests(log, (id) => registry.matchOf(id), { job: args.job, ids: args.ids, last: args.last });
        if (requests.length === 0) throw new HookCatchError('No stored request matches; nothing exported. list_requests shows what is stored.');
        const instance = (await context.client().catch(() => null))?.instance;
        const report = await exportWithReport(requests, resolve(args.out), {
          format: args.har ? 'har' : 'fixture',
          redact: DEFAULT_REDACT,
          matchOf: (id) => registry.matchOf(id),
          baseUrl: instance?.publicUrl ?? instance?.receiverUrl,
        });
        return { files: report.files, count: requests.length, redacted: report.redacted, ...(report.inClear.length && { inClear: report.inClear }) };
      } finally {
        await log.close();
      }
    }),
  );

  server.registerTool(
    'export_scenario',
    {
      title: 'Export scenarios',
      description:
        'Write one scenario file (hook-catch/scenario@1) per job your app submitted through the provider port (start --provider): ' +
        'its submit, its polls and its webhooks, with their timing, keys and signatures redacted. start_mock plays them back offline.',
      inputSchema: {
        out: z.string().min(1).describe('the folder to write into (created if needed): test/scenarios'),
        jobs: z.array(z.string()).optional().describe('the job ids (default: every job submitted through the provider port)'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    handler(async ({ out, jobs }: { out: string; jobs?: string[] }) => {
      const { files, redacted } = await exportScenarios(context.dir, resolve(out), { jobs });
      return { files, redacted };
    }),
  );
}
