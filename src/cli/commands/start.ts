import type { HookCatchOptions } from '../../options.js';
import { start, type HookCatch } from '../../start.js';

/** Hard limit on shutdown: whatever hangs, the process is gone this long after Ctrl-C. */
const EXIT_DEADLINE_MS = 2000;

/**
 * Runs until a signal. Signals are handled from the first moment: during start-up (which may wait
 * for the tunnel) they just exit; once running, requests in flight finish first.
 */
export async function runStart(options: HookCatchOptions): Promise<void> {
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
