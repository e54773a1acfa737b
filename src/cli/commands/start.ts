import { Command } from 'commander';
import type { HookCatchOptions } from '../../options.js';
import { start, type HookCatch } from '../../start.js';
import { addStartFlags, toOptions } from '../start-flags.js';

/** Hard limit on shutdown: whatever hangs, the process is gone this long after Ctrl-C. */
const EXIT_DEADLINE_MS = 2000;

export function startCommand(): Command {
  const command = new Command('start').description('receive webhooks on every path, keep each one, serve the inspector page and API');
  addStartFlags(command, {
    own: (c) =>
      c
        .option('--json', 'print one JSON object per line (ready, request, tunnel) instead of the banner and log')
        .option('-q, --quiet', 'print only warnings and errors'),
  });
  return command.action(async (flags) => {
    await runStart(toOptions(flags));
  });
}

/**
 * Runs until a signal. Signals are handled from the first moment: during start-up (which may wait
 * for the tunnel) they just exit; once running, requests in flight finish first.
 */
async function runStart(options: HookCatchOptions): Promise<void> {
  let hc: HookCatch | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping || !hc) process.exit(stopping ? 130 : 0);
    stopping = true;
    if (options.output === 'pretty') process.stderr.write(`\nhook-catch: ${signal}, stopping…\n`);
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    hc.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  hc = await start(options);
}
