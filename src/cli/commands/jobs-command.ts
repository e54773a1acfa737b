import { Command, Option } from 'commander';
import { JOB_STATUSES } from '../../jobs/types.js';
import { dirOption } from '../args.js';

export function jobsCommand(): Command {
  return new Command('jobs')
    .description("list the jobs, most recently active first; with a job id, that job's timeline")
    .argument('[id]', 'a job id: its submit, status calls and webhooks in time order, then its state')
    .addOption(new Option('--status <status>', 'only jobs in this state').choices(JOB_STATUSES))
    .addOption(dirOption())
    .option('--json', 'print the jobs (or the job, with its deliveries) as JSON')
    .action(async (id: string | undefined, flags) => {
      const { listJobs, showJob } = await import('./jobs.js');
      const options = { dir: flags.dir, status: flags.status, json: flags.json };
      if (id === undefined) await listJobs(options, process.stdout, process.stderr);
      else await showJob(id, options, process.stdout, process.stderr);
    });
}
