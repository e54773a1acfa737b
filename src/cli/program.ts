import { Command } from 'commander';
import { HookCatchError } from '../errors.js';
import { VERSION } from '../version.js';
import { exitQuietlyOnClosedPipe } from './output.js';

const EXAMPLES = `
Examples:
  $ hook-catch start                       receiver on :8080, inspector page on :4040
  $ hook-catch start --port 0 --json       any free port, one JSON line per event
  $ WEBHOOK=$(hook-catch url)              the public webhook URL of the running instance
  $ hook-catch expect a9199e4e             "I just submitted this job"
  $ hook-catch wait a9199e4e -t 10m > out.json   block until its webhook says it is done
  $ hook-catch jobs --status failed        the jobs whose payload said they failed
  $ hook-catch list --method POST -n 20    the 20 newest POSTs in the store
  $ hook-catch show last --body > payload  the newest request's exact body bytes
  $ hook-catch diff 7hz2kq last --headers  what changed between two deliveries (exit 1 when they differ)
  $ hook-catch replay last --to http://localhost:3000   send it again to your app, byte-exact
  $ hook-catch start --forward http://localhost:3000    every webhook also goes to your app
  $ hook-catch start --verify stripe:whsec_…   a signature verdict on each webhook (✓, or ✗ and why)
  $ hook-catch verify last --secret '$STRIPE_WEBHOOK_SECRET'   try a secret on a stored webhook
  $ hook-catch start --schema openapi.yaml   check each webhook's body against your spec (✓, or ✗ and where)
  $ hook-catch check --schema openapi.yaml   the stored webhooks against it, for CI (exit 1 when one is invalid)
  $ hook-catch deliver --job a9199e4e --to http://localhost:3000 --speed 60x --duplicates 50%
                                           rehearse a provider's retries and duplicates against your app
  $ hook-catch mock scenarios/ --speed instant   play recorded jobs back offline: the provider's API and its webhooks
  $ hook-catch start --fail-first 2        the first 2 deliveries of each job get 500 (retry rehearsal)
  $ hook-catch export --job a9199e4e --out test/fixtures --redact-default   its webhooks as fixtures
  $ hook-catch check --against test/fixtures   do the stored captures still have the fixtures' fields?
  $ hook-catch types --lang zod --out src/webhooks.ts   one zod schema per event type, from every capture
  $ hook-catch capture --expect a1 b2 --out test/fixtures --url-file webhook-url
                                           CI: wait for jobs a1 and b2, save their webhooks as fixtures
  $ claude mcp add hook-catch -- npx hook-catch mcp --start   let a coding agent expect, wait for and read webhooks (MCP)`;

/**
 * Each command's definition (its flags and help: commands/*-command.ts), in the order the help
 * lists them. A definition loads only what reading its flags needs; what the command does is
 * loaded when it runs.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start-command.js')).startCommand(),
  capture: async () => (await import('./commands/capture-command.js')).captureCommand(),
  list: async () => (await import('./commands/list-command.js')).listCommand(),
  show: async () => (await import('./commands/show-command.js')).showCommand(),
  diff: async () => (await import('./commands/diff-command.js')).diffCommand(),
  replay: async () => (await import('./commands/replay-command.js')).replayCommand(),
  deliver: async () => (await import('./commands/deliver-command.js')).deliverCommand(),
  mock: async () => (await import('./commands/mock-command.js')).mockCommand(),
  verify: async () => (await import('./commands/verify-command.js')).verifyCommand(),
  check: async () => (await import('./commands/check-command.js')).checkCommand(),
  export: async () => (await import('./commands/export-command.js')).exportCommand(),
  import: async () => (await import('./commands/import-command.js')).importCommand(),
  url: async () => (await import('./commands/url-command.js')).urlCommand(),
  expect: async () => (await import('./commands/expect-command.js')).expectCommand(),
  jobs: async () => (await import('./commands/jobs-command.js')).jobsCommand(),
  wait: async () => (await import('./commands/wait-command.js')).waitCommand(),
  rules: async () => (await import('./commands/rules-command.js')).rulesCommand(),
  types: async () => (await import('./commands/types-command.js')).typesCommand(),
  mcp: async () => (await import('./commands/mcp-command.js')).mcpCommand(),
};

/**
 * The program; with `only`, the name of a command, with that command alone (what running it needs:
 * the program's help, `help`, an unknown command and its suggestion take them all).
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('hook-catch')
    .description('Catch, keep and inspect webhooks from asynchronous APIs.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', EXAMPLES);
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const command of await Promise.all(names.map((name) => COMMANDS[name]!()))) {
    program.addCommand(command);
  }
  // Every command, not only the program, reports a bad flag as one `hook-catch:` line.
  for (const command of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    command
      .showHelpAfterError('(run with --help for usage)')
      .configureOutput({ outputError: (text, write) => write(`hook-catch: ${text.replace(/^error: /, '')}`) });
  }
  return program;
}

/** The command line: the one place that turns any error into one line and an exit code. */
export async function run(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe();
  try {
    // The first word is the command (the program itself takes no flag but --version and --help).
    await (await buildProgram(argv[2])).parseAsync(argv);
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
