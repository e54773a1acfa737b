import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { dirOption, duration } from '../args.js';

export function waitCommand(): Command {
  return new Command('wait')
    .description(
      'block until a job completes and print its payload (exit 0 completed, 3 failed, 4 webhook lost, 124 timed out, 1 other). ' +
        'Only a delivery answered 2xx counts: one refused by a response rule or by your app (--forward-mode wait) is waited past, since its provider retries it; the timeout message counts them',
    )
    .argument('<jobId>', 'the job to wait for (registered now if it is not yet)')
    .addOption(
      new Option('-t, --timeout <duration>', 'give up after this long (also waits this long for `start`)')
        .default(DEFAULTS.waitTimeoutMs, '10m')
        .argParser(duration),
    )
    .option('--any', 'return on any delivery (a refused one too), not only a completed or failed one')
    .addOption(dirOption())
    .option('--json', 'print the outcome, the job and the whole request as JSON instead of the body')
    .action(async (id: string, flags) => {
      const options = { dir: flags.dir, timeoutMs: flags.timeout, any: flags.any, json: flags.json };
      const { waitForJob } = await import('./wait.js');
      process.exitCode = await waitForJob(id, options, process.stdout, process.stderr);
    });
}
