import { Command } from 'commander';
import { dirOption } from '../args.js';

export function urlCommand(): Command {
  return new Command('url')
    .description("print the running instance's webhook URL (public when there is a tunnel) for scripts")
    .addOption(dirOption())
    .option('--local', 'the local webhook URL even when there is a public one')
    .option('--tag <jobId>', 'a per-job URL, …/webhook/<jobId>, for providers that take one per request (registers the job)')
    .option('--provider', "the provider port's URL (start --provider), for your app's API base URL: API_BASE=$(hook-catch url --provider)")
    .option('--json', 'all the URLs as JSON')
    .action(async (flags) => {
      const { printUrl } = await import('./url.js');
      await printUrl({ dir: flags.dir, local: flags.local, json: flags.json, tag: flags.tag, provider: flags.provider }, process.stdout, process.stderr);
    });
}
