import type { OptionValues } from 'commander';
import { mockProvider, type MockOptions, type MockSummary } from '../../mock/index.js';
import { chalkFor } from '../../terminal/color.js';
import type { Client } from '../../client/client.js';
import { runningOn } from '../../client/instance.js';
import { resignRule } from '../resign-flag.js';
import { eventLine, speedText, summaryText } from './mock-report.js';
import { pageReporter } from './mock-to-page.js';

/** 0 played; 2 with --strict, a request matched nothing or a webhook was not acknowledged (or not sent). */
export const MOCK_EXIT = { played: 0, strictFailed: 2 } as const;

/** `hook-catch mock …`: serves the scenarios until Ctrl-C (or, with --until-done, until every job settled); returns the exit code. */
export async function mockCommandRun(
  options: MockOptions & { json?: boolean; strict?: boolean; untilDone?: boolean; dir: string; report: boolean },
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const c = chalkFor(stdout);
  const mock = await mockProvider(options);
  const write = (value: unknown) => stdout.write(`${JSON.stringify(value)}\n`);
  const client = options.report ? await runningOn(options.dir) : null;
  const page = client && pageReporter(client);
  mock.onEvent((event) => {
    page?.add(event);
    if (options.json) write(event);
    else stdout.write(`${eventLine(event, c)}\n`);
  });
  const speed = speedText(options.speed ?? 1);
  if (options.json) write({ type: 'listening', url: mock.url, port: mock.port, speed });
  else
    stdout.write(
      `hook-catch mock: the provider's API on ${c.bold(mock.url)}, played at ${speed}; ${options.untilDone ? 'until every job is done' : 'Ctrl-C ends it'} with a summary\n`,
    );
  if (options.report && !options.json) stdout.write(`${c.dim(pageLine(options.dir, client))}\n`);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.race([stopped, ...(options.untilDone ? [mock.done()] : [])]);
  await mock.close();
  await page?.flush();
  const summary = mock.summary();
  const code = options.strict && failed(summary) ? MOCK_EXIT.strictFailed : MOCK_EXIT.played;
  if (options.json) write({ type: 'summary', ...summary, exitCode: code });
  else stdout.write(summaryText(summary, c));
  return code;
}

/** Whether the inspector page of the hook-catch on `dir` shows the calls. */
const pageLine = (dir: string, client: Client | null) =>
  client ? `the inspector page at ${client.instance.inspectorUrl} shows these calls` : `no hook-catch running on ${dir}: the page will not show these calls`;

/** What --strict fails on: a request that matched nothing, a webhook never acknowledged or never sent. */
const failed = (summary: MockSummary) => summary.unmatchedCount > 0 || summary.webhooks.givenUp > 0 || summary.webhooks.notSent > 0;

export function optionsOf(paths: string[], flags: OptionValues) {
  return {
    scenarios: paths,
    port: flags.port,
    host: flags.host,
    speed: flags.speed,
    webhookUrl: flags.webhookUrl,
    resign: flags.resign === undefined ? undefined : resignRule(flags.resign),
    retries: flags.retries,
    backoffMs: flags.backoff,
    timeoutMs: flags.timeout,
    untilDone: flags.untilDone,
    strict: flags.strict,
    json: flags.json,
    dir: flags.dir,
    report: flags.report,
  };
}
