import { Command } from 'commander';
import { addStartFlags } from '../start-flags.js';

export function startCommand(): Command {
  const command = new Command('start').description('receive webhooks on every path, keep each one, serve the inspector page and API');
  addStartFlags(command, {
    own: (c) =>
      c
        .option('--json', 'print one JSON object per line (ready, request, tunnel) instead of the banner and log')
        .option('-q, --quiet', 'print only warnings and errors'),
  });
  return command.action(async (flags) => {
    const options = (await import('../start-options.js')).toOptions(flags);
    const { runStart } = await import('./start.js');
    await runStart(options);
  });
}
