import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { parseBackoff, parseShare, parseSpeed, PROVIDER_SCHEDULE } from '../../deliver/deliver-plan.js';
import { formatFlagDuration } from '../../units.js';
import { checkedBy, dirOption, duration, wholeNumber } from '../args.js';

export function deliverCommand(): Command {
  const backoff = PROVIDER_SCHEDULE.backoffMs.map(formatFlagDuration).join(',');
  return new Command('deliver')
    .description('rehearse a provider against your app: send webhooks with its retries, backoff, duplicates and disorder; report whether your app held up')
    .argument('[ids...]', 'request ids, short ids or "last" (or --job, or --file)')
    .option('--job <id>', "the job's deliveries, in the order they came")
    .option('-f, --file <path>', 'fixtures instead: a hook-catch/fixture@1 file, or every *.json in a folder')
    .option('-t, --to <url>', "your app; the captured path and query go below this URL's path (default: the running instance's --forward URL)")
    .addOption(
      new Option('--retries <n>', 'attempts per webhook in all, as a provider counts them ("up to 5 times")')
        .default(PROVIDER_SCHEDULE.attempts)
        .argParser(wholeNumber('--retries', 1)),
    )
    .addOption(
      new Option('--backoff <durations>', 'waits between attempts, comma-separated; the last repeats')
        .default([...PROVIDER_SCHEDULE.backoffMs], backoff)
        .argParser(checkedBy(parseBackoff, '--backoff')),
    )
    .addOption(
      new Option('--speed <factor>', 'run the schedule this many times faster: 60x turns 2m into 2s')
        .default(1, '1x')
        .argParser(checkedBy(parseSpeed, '--speed')),
    )
    .addOption(
      new Option('--timeout <duration>', 'an attempt not answered within this fails and is retried, as a provider would')
        .default(DEFAULTS.sendTimeoutMs, '10s')
        .argParser(duration),
    )
    .addOption(
      new Option('--duplicates <share>', 'send this share of the webhooks a second time, later (0.2 or 20%)')
        .default(0, 'none')
        .argParser(checkedBy(parseShare, '--duplicates')),
    )
    .option('--shuffle', 'send them out of order')
    .addOption(new Option('--concurrency <n>', 'webhooks in flight at once').default(1).argParser(wholeNumber('--concurrency', 1)))
    .addOption(new Option('--seed <n>', 'the same number gives the same order and duplicates again').default(1).argParser(wholeNumber('--seed', 0)))
    .option(
      '--resign <scheme:secret>',
      "sign each attempt again, timestamped now (for Twilio: for your app's URL): stripe:SECRET, '$NAME', or a scheme alone (its own variable, such as TWILIO_AUTH_TOKEN)",
    )
    .option('--insecure', 'accept a self-signed TLS certificate from an https app')
    .option('--json', 'print the report as JSON')
    .addOption(dirOption())
    .addHelpText(
      'after',
      `
Each webhook is sent the byte-exact way replay sends it (signatures still verify) and retried on a
non-2xx answer or a timeout. The report lists every send in the order sent, with its attempts, and
checks that every webhook was finally acknowledged, that the same body was answered the same way
every time (idempotent), and that no duplicate got a 5xx (a duplicate: a send of a body already
sent, whichever capture went first).

Exit status: 0 every check passed, 2 a check failed, 130 stopped (Ctrl-C), 1 an error.

Example: seed 003's schedule (5 attempts, 2, 4, 8, 16 minutes apart) in 30 seconds:
  $ hook-catch deliver --job a9199e4e --to http://localhost:3000 --speed 60x --duplicates 50% --shuffle`,
    )
    .action(async (ids: string[], flags) => {
      const { deliverCommandRun, optionsOf } = await import('./deliver.js');
      process.exitCode = await deliverCommandRun(optionsOf(ids, flags), process.stdout, process.stderr);
    });
}
