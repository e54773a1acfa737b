import { Command, InvalidArgumentError, Option } from 'commander';
import { listRequests } from './commands/list.js';
import { showRequest } from './commands/show.js';
import { HookCatchError } from './errors.js';
import { parseBytes } from './format.js';
import { DEFAULTS, type OutputMode } from './options.js';
import { start } from './start.js';
import { VERSION } from './version.js';

/** Hard limit on shutdown: whatever hangs, the process is gone this long after Ctrl-C. */
const EXIT_DEADLINE_MS = 2000;

function wholeNumber(flag: string, min = 0) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${flag} takes a whole number of at least ${min}.`);
    return Number(value);
  };
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535 (0 = any free port).');
  return n;
}

function size(value: string): number {
  const n = parseBytes(value);
  if (Number.isNaN(n)) throw new InvalidArgumentError('give a size such as 512kb, 10mb or 1048576 (bytes).');
  return n;
}

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
      new Option('--max-requests <n>', 'requests kept; the oldest are dropped first')
        .default(DEFAULTS.maxRequests)
        .argParser(wholeNumber('--max-requests', 1)),
    )
    .option('--fsync', 'acknowledge only once a request is on the disk itself (survives power loss; slower)')
    .option('--json', 'print one JSON object per line (ready, request) instead of the banner and log')
    .option('-q, --quiet', 'print only warnings and errors')
    .action(async (flags) => {
      const output: OutputMode = flags.json ? 'json' : flags.quiet ? 'quiet' : 'pretty';
      const hc = await start({
        port: flags.port,
        host: flags.host,
        inspectorPort: flags.inspectorPort,
        dir: flags.dir,
        maxBody: flags.maxBody,
        maxRequests: flags.maxRequests,
        fsync: flags.fsync,
        output,
      });
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(130);
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
