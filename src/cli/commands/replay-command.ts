import { Command, Option } from 'commander';
import { HookCatchError } from '../../errors.js';
import { DEFAULTS } from '../../defaults.js';
import { collect, dirOption, duration } from '../args.js';

export function replayCommand(): Command {
  return new Command('replay')
    .description('send a stored request again to your app: same method, headers and exact body bytes (signatures still verify)')
    .argument('[id]', 'a request id, its short id, or "last" (or --file)')
    .option('-f, --file <path>', 'send fixtures instead: a hook-catch/fixture@1 file, or every *.json in a folder')
    .option('-t, --to <url>', "where to send it; the captured path and query go below this URL's path (default: the running instance's --forward URL)")
    .addOption(new Option('--timeout <duration>', 'how long to wait for the answer').default(DEFAULTS.sendTimeoutMs, '10s').argParser(duration))
    .option('--insecure', 'accept a self-signed TLS certificate from an https target')
    .option('--json', 'print the whole replay record as JSON (the answer in full)')
    .addOption(dirOption())
    .optionsGroup('Edit before sending (the capture itself never changes):')
    .option('-X, --method <method>', 'another method')
    .option('--set-header <name:value>', 'set a header (replacing one of that name) or add it (repeatable); a Host set is sent as given', collect)
    .option('--remove-header <name>', 'leave a header out (repeatable)', collect)
    .option('--body-file <file>', 'send this file as the body instead ("-" reads stdin); Content-Length follows it')
    .option(
      '--resign [scheme:secret]',
      "sign what is sent again, timestamped now, so your app's check passes on an edited body: alone, with the running hook-catch's --verify secret; or stripe:SECRET, '$NAME', a scheme alone (its own variable)",
    )
    .addHelpText(
      'after',
      '\nExit status: 0 the target answered 2xx, 2 it answered another status, 1 it could not be reached\n(with --file, the worst of the fixtures sent).',
    )
    .action(async (id: string | undefined, flags) => {
      const [{ editsOf, replayFiles, replayRequest }, { resignFlag }] = await Promise.all([import('./replay.js'), import('../resign-flag.js')]);
      const edits = await editsOf(flags);
      const options = {
        dir: flags.dir,
        to: flags.to,
        timeoutMs: flags.timeout,
        insecure: flags.insecure,
        json: flags.json,
        edits,
        resign: resignFlag(flags.resign),
      };
      if (flags.file && id) throw new HookCatchError('Give a request id or --file, not both.');
      if (!flags.file && !id) throw new HookCatchError('Which request? Give its id (or "last"), or --file <fixture or folder>.');
      process.exitCode = flags.file
        ? await replayFiles(flags.file, options, process.stdout, process.stderr)
        : await replayRequest(id!, options, process.stdout, process.stderr);
    });
}
