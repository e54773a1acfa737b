import { Command } from 'commander';
import { dirOption } from '../args.js';

export function showCommand(): Command {
  return new Command('show')
    .description("show one stored request: its headers and body (a call through the provider port: also the provider's answer); or a job's timeline")
    .argument('<id>', 'a request id, the short id from the log (its last characters), "last", or a job id')
    .addOption(dirOption())
    .option('--body', 'write only the exact body bytes (for files and pipes)')
    .option('--json', 'print the whole record as JSON (body as text, or base64 when binary) and its replays')
    .action(async (id: string, flags) => {
      // The newest one's bytes need only the end of the log, and nothing else loaded.
      if (flags.body && id === 'last') return (await import('./show-newest.js')).writeNewestBody(flags.dir, process.stdout);
      const { showRequest } = await import('./show.js');
      await showRequest(id, { dir: flags.dir, body: flags.body, json: flags.json }, process.stdout);
    });
}
