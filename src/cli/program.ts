import { Command, Option } from 'commander';
import { collect, duration, port, size, wholeNumber } from './args.js';
import { listRequests } from './list.js';
import { showRequest } from './show.js';
import { expectJob, listJobs } from './jobs.js';
import { printUrl } from './url.js';
import { waitForJob } from './wait.js';
import { HookCatchError } from '../errors.js';
import { DEFAULTS, type OutputMode } from '../options.js';
import { start, type HookCatch } from '../start.js';
import { VERSION } from '../version.js';

/** Hard limit on shutdown: whatever hangs, the process is gone this long after Ctrl-C. */
const EXIT_DEADLINE_MS = 2000;

const JOB_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'expired'];

const dirOption = () => new Option('-d, --dir <path>', 'folder holding the store').default(DEFAULTS.dir);

export function buildProgram(): Command {
  const program = new Command('hook-catch')
    .description('Catch, keep and inspect webhooks from asynchronous APIs.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ hook-catch start                       receiver on :8080, inspector API on :4040
  $ hook-catch start --port 0 --json       any free port, one JSON line per event
  $ WEBHOOK=$(hook-catch url)              the public webhook URL of the running instance
  $ hook-catch expect a9199e4e             "I just submitted this job"
  $ hook-catch wait a9199e4e -t 10m > out.json   block until its webhook says it is done
  $ hook-catch list --method POST -n 20    the 20 newest POSTs in the store
  $ hook-catch show last --body > payload  the newest request's exact body bytes`,
    );

  program
    .command('start')
    .description('receive webhooks on every path, keep each one, serve the inspector API')
    .addOption(new Option('-p, --port <port>', 'receiver port, 0 = any free port').default(DEFAULTS.port).argParser(port))
    .addOption(new Option('-H, --host <address>', 'address the receiver binds to (0.0.0.0 for the network)').default(DEFAULTS.host))
    .addOption(
      new Option('-i, --inspector-port <port>', 'inspector API port (loopback only), 0 = any free port')
        .default(DEFAULTS.inspectorPort)
        .argParser(port),
    )
    .addOption(dirOption())
    .addOption(new Option('--max-body <size>', 'largest body accepted; larger is answered 413').default(DEFAULTS.maxBody, '10mb').argParser(size))
    .addOption(
      new Option('--max-header-size <size>', 'largest request head (request line and headers); larger is answered 431 and logged')
        .default(DEFAULTS.maxHeaderSize, '64 kB')
        .argParser(size),
    )
    .addOption(
      new Option('--max-requests <n>', 'requests kept; the oldest are dropped first')
        .default(DEFAULTS.maxRequests)
        .argParser(wholeNumber('--max-requests', 1)),
    )
    .option('--fsync', 'acknowledge only once a request is on the disk itself (survives power loss; slower)')
    .option('--json', 'print one JSON object per line (ready, request, tunnel) instead of the banner and log')
    .option('-q, --quiet', 'print only warnings and errors')
    .optionsGroup('Jobs:')
    .option(
      '--job-id-path <rule>',
      'where your provider puts the job id, tried first (repeatable): body.response.request_id, header.x-job-id, query.jobId, path.last',
      collect,
    )
    .addOption(new Option('--job-ttl <duration>', 'how long a job may wait for its webhook before it is expired').default(DEFAULTS.jobTtlMs, '7d').argParser(duration))
    .optionsGroup('Public URL (ngrok):')
    .option('--authtoken <token>', 'ngrok authtoken (default: NGROK_AUTHTOKEN, then the ngrok agent\'s ngrok.yml)')
    .option('--no-tunnel', 'stay local: no public URL, no notice about it')
    .option('--public-url <url>', 'your own public URL (another tunnel or a proxy) to show and use instead of ngrok')
    .option('--domain <domain>', 'a reserved or static ngrok domain')
    .option('--basic-auth <user:pass>', 'ask for this user and password on the public URL (repeatable)', collect)
    .option('--allow-cidr <cidr>', 'accept public traffic only from these addresses (repeatable)', collect)
    .option('--deny-cidr <cidr>', 'refuse public traffic from these addresses (repeatable)', collect)
    .option('--verify-webhook <provider>', 'ngrok checks each webhook\'s signature at its edge (github, stripe, slack, …)')
    .option('--verify-webhook-secret <secret>', 'the signing secret for --verify-webhook')
    .addOption(
      new Option('--tunnel-timeout <duration>', 'give up on the tunnel after this long (20, 20s, 1m) and go on local-only')
        .default(DEFAULTS.tunnelTimeoutMs, '20s')
        .argParser(duration),
    )
    .option('--require-tunnel', 'exit 1 instead of going on local-only when no tunnel can be opened (for CI)')
    .option('--ngrok-server-addr <host:port>', 'advanced: the ngrok service to connect to (self-hosted or test endpoints)')
    .action(async (flags) => {
      const output: OutputMode = flags.json ? 'json' : flags.quiet ? 'quiet' : 'pretty';
      const verify = flags.verifyWebhook || flags.verifyWebhookSecret;
      // Signals are handled from the first moment: during start-up (which may wait for the tunnel)
      // they just exit; once running, in-flight requests finish first.
      let hc: HookCatch | undefined;
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping || !hc) process.exit(stopping ? 130 : 0);
        stopping = true;
        if (output === 'pretty') process.stderr.write(`\nhook-catch: ${signal}, stopping…\n`);
        setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
        hc.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      hc = await start({
        port: flags.port,
        host: flags.host,
        inspectorPort: flags.inspectorPort,
        dir: flags.dir,
        maxBody: flags.maxBody,
        maxHeaderSize: flags.maxHeaderSize,
        maxRequests: flags.maxRequests,
        fsync: flags.fsync,
        output,
        tunnel: flags.tunnel,
        authtoken: flags.authtoken,
        publicUrl: flags.publicUrl,
        domain: flags.domain,
        basicAuth: flags.basicAuth,
        allowCidrs: flags.allowCidr,
        denyCidrs: flags.denyCidr,
        verifyWebhook: verify ? { provider: flags.verifyWebhook ?? '', secret: flags.verifyWebhookSecret ?? '' } : undefined,
        tunnelTimeoutMs: flags.tunnelTimeout,
        requireTunnel: flags.requireTunnel,
        ngrokServerAddr: flags.ngrokServerAddr,
        jobIdPaths: flags.jobIdPath,
        jobTtlMs: flags.jobTtl,
      });
    });

  program
    .command('list')
    .description('list stored requests, newest first (works with or without a running instance)')
    .addOption(dirOption())
    .addOption(new Option('-n, --limit <n>', 'how many').default(50).argParser(wholeNumber('--limit', 1)))
    .option('--before <id>', 'only requests older than this id (for paging)')
    .option('-m, --method <method>', 'only this method')
    .option('--path <prefix>', 'only paths starting with this')
    .option('-s, --search <text>', 'only requests whose URL, headers or body contain this text')
    .option('--json', 'print the page as JSON')
    .action(async (flags) => {
      await listRequests(
        { dir: flags.dir, limit: flags.limit, before: flags.before, method: flags.method, path: flags.path, q: flags.search, json: flags.json },
        process.stdout,
        process.stderr,
      );
    });

  program
    .command('url')
    .description('print the running instance\'s webhook URL (public when there is a tunnel) for scripts')
    .addOption(dirOption())
    .option('--local', 'the local webhook URL even when there is a public one')
    .option('--tag <jobId>', 'a per-job URL, …/webhook/<jobId>, that correlates by itself')
    .option('--json', 'all the URLs as JSON')
    .action(async (flags) => {
      await printUrl({ dir: flags.dir, local: flags.local, json: flags.json, tag: flags.tag }, process.stdout, process.stderr);
    });

  program
    .command('expect')
    .description('register a job you just submitted, so its webhook is matched to it (even one that came first)')
    .argument('<jobId>', 'the id the provider gave you (jobId, taskId, request_id …)')
    .option('-l, --label <text>', 'a note to recognise it by')
    .addOption(new Option('--ttl <duration>', 'how long it may wait for its webhook').default(DEFAULTS.jobTtlMs, '7d').argParser(duration))
    .addOption(dirOption())
    .option('--json', 'print the job as JSON')
    .action(async (id: string, flags) => {
      await expectJob(id, { dir: flags.dir, label: flags.label, ttlMs: flags.ttl, json: flags.json }, process.stdout);
    });

  program
    .command('jobs')
    .description('list the running instance\'s jobs, most recently active first')
    .addOption(new Option('--status <status>', 'only jobs in this state').choices(JOB_STATUSES))
    .addOption(dirOption())
    .option('--json', 'print the jobs as JSON')
    .action(async (flags) => {
      await listJobs({ dir: flags.dir, status: flags.status, json: flags.json }, process.stdout, process.stderr);
    });

  program
    .command('wait')
    .description('block until a job completes and print its payload (exit 0 completed, 3 failed, 124 timed out, 1 other)')
    .argument('<jobId>', 'the job to wait for (registered now if it is not yet)')
    .addOption(new Option('-t, --timeout <duration>', 'give up after this long').default(600_000, '10m').argParser(duration))
    .option('--any', 'return on any delivery, not only a completed or failed one')
    .addOption(dirOption())
    .option('--json', 'print the outcome, the job and the whole request as JSON instead of the body')
    .action(async (id: string, flags) => {
      process.exitCode = await waitForJob(id, { dir: flags.dir, timeoutMs: flags.timeout, any: flags.any, json: flags.json }, process.stdout, process.stderr);
    });

  program
    .command('show')
    .description('show one stored request: its headers and body')
    .argument('<id>', 'a request id, the short id from the log (its last characters), or "last"')
    .addOption(dirOption())
    .option('--body', 'write only the exact body bytes (for files and pipes)')
    .option('--json', 'print the whole record as JSON (body as text, or base64 when binary)')
    .action(async (id: string, flags) => {
      await showRequest(id, { dir: flags.dir, body: flags.body, json: flags.json }, process.stdout);
    });

  return program;
}

/** The command line: the one place that turns any error into one line and an exit code. */
export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof HookCatchError) {
      process.stderr.write(`hook-catch: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    const detail = process.env.HOOK_CATCH_DEBUG ? (error as Error)?.stack : String((error as Error)?.message ?? error);
    process.stderr.write(`hook-catch: unexpected error: ${detail}\n(set HOOK_CATCH_DEBUG=1 for the stack trace and report it)\n`);
    process.exit(1);
  }
}
