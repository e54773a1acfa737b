import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { HookCatchError } from '../../errors.js';
import { collect, dirOption, duration } from '../args.js';

export function expectCommand(): Command {
  return new Command('expect')
    .description('register a job you just submitted, so its webhook is matched to it (even one that came first)')
    .argument('<jobId>', 'the id the provider gave you (jobId, taskId, request_id …)')
    .option('-l, --label <text>', 'a note to recognise it by')
    .addOption(new Option('--ttl <duration>', "how long it may wait for its webhook (default: start's --job-ttl, 7d unless set)").argParser(duration))
    .addOption(dirOption())
    .option('--json', 'print the job as JSON')
    .optionsGroup('Poll the provider too (catch a lost webhook):')
    .option('--poll <url>', "the provider's status endpoint, {jobId} filled in: https://api.example.com/jobs/{jobId}")
    .option(
      '--poll-header <name: value>',
      "a header to send (repeatable); '$API_KEY' in a value reads that variable, so the secret is never stored or printed",
      collect,
    )
    .addOption(
      new Option('--every <duration>', 'ask this often at first (backing off, with jitter, while nothing changes)')
        .default(DEFAULTS.pollEveryMs, '30s')
        .argParser(duration),
    )
    .option('--status-path <rule>', 'where the status word is when the usual job rules miss it: body.data.state')
    .addOption(
      new Option('--grace <duration>', 'how long after the provider says done the webhook may take before the job is flagged webhook lost')
        .default(DEFAULTS.pollGraceMs, '2m')
        .argParser(duration),
    )
    .action(async (id: string, flags) => {
      if (!flags.poll && (flags.pollHeader || flags.statusPath)) throw new HookCatchError('--poll-header and --status-path go with --poll <url>.');
      const poll = flags.poll
        ? { url: flags.poll, headers: flags.pollHeader ?? [], everyMs: flags.every, statusPath: flags.statusPath, graceMs: flags.grace }
        : undefined;
      const { expectJob } = await import('./expect.js');
      await expectJob(id, { dir: flags.dir, label: flags.label, ttlMs: flags.ttl, json: flags.json, poll }, process.stdout);
    });
}
