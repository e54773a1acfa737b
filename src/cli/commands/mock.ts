import { Command, Option, type OptionValues } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { parseBackoff, parseSpeed } from '../../deliver/deliver-plan.js';
import { mockProvider, type MockOptions, type MockSummary } from '../../mock/index.js';
import { chalkFor } from '../../terminal/color.js';
import { formatFlagDuration } from '../../units.js';
import { checkedBy, dirOption, duration, port, wholeNumber } from '../args.js';
import type { Client } from '../client.js';
import { runningOn } from '../instance-or-store.js';
import { resignRule } from '../resign-flag.js';
import { eventLine, speedText, summaryText } from './mock-report.js';
import { pageReporter } from './mock-to-page.js';

/** 0 played; 2 with --strict, a request matched nothing or a webhook was not acknowledged (or not sent). */
export const MOCK_EXIT = { played: 0, strictFailed: 2 } as const;

/** `instant`, or how many times faster than recorded (`10x`, `10`, `1x`). */
export function parseMockSpeed(text: string, flag = '--speed'): number {
  return text.trim().toLowerCase() === 'instant' ? Infinity : parseSpeed(text, flag);
}

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

export function mockCommand(): Command {
  const backoff = DEFAULTS.mockBackoffMs.map(formatFlagDuration).join(',');
  return new Command('mock')
    .description('play a provider back offline from recorded scenario files (hook-catch/scenario@1): its API on a local port, its webhooks to your app')
    .argument('<paths...>', 'hook-catch/scenario@1 files, or folders of them (every *.json)')
    .addOption(new Option('-p, --port <port>', 'where the API is served (0 = any free port)').default(DEFAULTS.mockPort).argParser(port))
    .addOption(new Option('-H, --host <address>', 'address to listen on').default(DEFAULTS.host))
    .addOption(
      new Option('--speed <factor>', 'play the recorded timing this many times faster: 10x, 1x (real time), or instant (no waits, the recorded order kept)')
        .default(1, '1x')
        .argParser(checkedBy(parseMockSpeed, '--speed')),
    )
    .option('--webhook-url <url>', "send every webhook here instead of the URL the app's submit names")
    .option(
      '--resign <scheme:secret>',
      "sign each webhook again, timestamped now: stripe:SECRET, '$NAME', a secret alone (the recorded scheme), or a scheme alone (its own variable)",
    )
    .addOption(new Option('--retries <n>', 'attempts per webhook in all, replacing the recorded retries').argParser(wholeNumber('--retries', 1)))
    .addOption(
      new Option('--backoff <durations>', `waits between attempts, comma-separated; the last repeats (after the recorded retries: ${backoff})`).argParser(
        checkedBy(parseBackoff, '--backoff'),
      ),
    )
    .addOption(
      new Option('--timeout <duration>', 'a webhook attempt not answered within this failed, and is retried')
        .default(DEFAULTS.sendTimeoutMs, '10s')
        .argParser(duration),
    )
    .option('--until-done', "stop once every submitted job's webhooks were acknowledged or given up")
    .option('--strict', 'exit 2 when a request matched nothing, or a webhook was not acknowledged or not sent')
    .option('--json', 'print one JSON object per line (listening, each event, the summary last)')
    .addOption(dirOption())
    .option('--no-report', 'do not show the calls on the inspector page of the hook-catch running on --dir')
    .addHelpText(
      'after',
      `
A submit that matches a recording gets its answer with a fresh job id (of the same form), and the
recorded webhooks follow at their offsets; polls get the recorded in-progress answer until the
final webhook went out, then the final one. A request that matches nothing gets a 501 naming the
closest recorded requests and why each did not match. docs/provider-double.md has the rules.

Exit status: 0 played, 2 --strict and something failed, 1 an error (a file that is not a scenario, a port in use).

Example: play every recorded job at once against your app, signing the webhooks again:
  $ hook-catch mock scenarios/ --port 8082 --speed instant --resign standard-webhooks:$WEBHOOK_SECRET`,
    )
    .action(async (paths: string[], flags) => {
      process.exitCode = await mockCommandRun(optionsOf(paths, flags), process.stdout);
    });
}

function optionsOf(paths: string[], flags: OptionValues) {
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
