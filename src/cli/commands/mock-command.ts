import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { parseBackoff, parseMockSpeed } from '../../deliver/deliver-plan.js';
import { formatFlagDuration } from '../../units.js';
import { checkedBy, dirOption, duration, port, wholeNumber } from '../args.js';

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
      const { mockCommandRun, optionsOf } = await import('./mock.js');
      process.exitCode = await mockCommandRun(optionsOf(paths, flags), process.stdout);
    });
}
