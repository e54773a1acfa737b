import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { duration, durationOrNone, wholeNumber } from '../args.js';
import { addFixtureFlags } from '../fixture-flags.js';
import { addStartFlags } from '../start-flags.js';

/** After Ctrl-C or SIGTERM, whatever hangs, the process is gone this long after. */
const EXIT_DEADLINE_MS = 10_000;

export function captureCommand(): Command {
  const command = new Command('capture')
    .description(
      'start, print the webhook URL, wait for the expected jobs (or n requests), save them as fixtures, stop (exit 0 completed, 3 a job failed, 124 timed out)',
    )
    .optionsGroup('Capture:')
    .option('-e, --expect <ids...>', 'job ids to wait for, until each has completed or failed (repeatable)')
    .addOption(new Option('-n, --count <n>', 'instead of --expect: wait for n requests').argParser(wholeNumber('--count', 1)))
    .requiredOption('-o, --out <dir>', 'the folder the fixtures are written into (created if needed)')
    .addOption(
      new Option('-t, --timeout <duration>', 'give up after this long; what came is saved (exit 124)')
        .default(DEFAULTS.waitTimeoutMs, '10m')
        .argParser(duration),
    )
    .addOption(
      new Option(
        '--settle <duration>',
        'with --expect: once every job settled, listen on until no delivery came for this long, so a duplicate sent a moment later is saved too (0: stop at once)',
      )
        .default(DEFAULTS.captureSettleMs, '3s')
        .argParser(durationOrNone),
    )
    .option('--url-file <file>', 'also write the webhook URL into this file, once it can be used (the public one when there is a tunnel)');
  addFixtureFlags(command)
    .option('--json', 'stdout: a JSON line when ready and one when done, instead of the URL and the fixture paths')
    .option('-q, --quiet', 'no progress on stderr, only what goes wrong')
    .optionsGroup('How hook-catch runs (as `start`):');
  const dir = new Option('-d, --dir <path>', 'folder holding the store (default: a temporary folder, removed at the end)');
  addStartFlags(command, { dir });
  return command.action(async (flags) => {
    const { captureOptions, captureRun } = await import('./capture.js');
    const options = captureOptions(flags);
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupt.signal.aborted) process.exit(130);
      interrupt.abort(signal);
      setTimeout(() => process.exit(130), EXIT_DEADLINE_MS).unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const code = await captureRun(options, { stdout: process.stdout, stderr: process.stderr }, interrupt.signal);
    process.exitCode = code;
    // Whatever might still hold the process (a tunnel being torn down), it ends with this code.
    setTimeout(() => process.exit(code), EXIT_DEADLINE_MS).unref();
  });
}
