import { Command, Option } from 'commander';
import { SCHEME_NAMES } from '../../capture/signature.js';
import { SECRET_ENV } from '../../signatures/secret-env.js';
import { collect, dirOption, duration } from '../args.js';

export function verifyCommand(): Command {
  return new Command('verify')
    .description("check a stored request's signature with a secret, after the fact (to try secrets); nothing is stored")
    .argument('<id>', 'a request id, its short id, or "last"')
    .addOption(new Option('-s, --scheme <scheme>', 'the signing scheme; auto finds it from the headers').choices(['auto', ...SCHEME_NAMES]).default('auto'))
    .option(
      '--secret <secret>',
      "the signing secret; '$NAME' reads it from that environment variable; repeat to try several (default: the scheme's own variable, such as STRIPE_WEBHOOK_SECRET)",
      collect,
    )
    .option('--header <name>', 'for hmac-sha256 / hmac-sha1: the header holding the signature')
    .addOption(
      new Option('--tolerance <duration>', "how old a signed timestamp may be, judged at the time it arrived (default: 5m, Paddle's own 5s)").argParser(
        duration,
      ),
    )
    .option('--json', 'print the verdict as JSON')
    .addOption(dirOption())
    .addHelpText(
      'after',
      `\nExit status: 0 valid, 2 invalid or unchecked, 1 an error.\nSecret variables: ${SCHEME_NAMES.filter((s) => s !== 'hmac-sha1')
        .map((s) => `${s} ${SECRET_ENV[s]}`)
        .join(', ')}.`,
    )
    .action(async (id: string, flags) => {
      const { verifyCapture } = await import('./verify.js');
      process.exitCode = await verifyCapture(
        id,
        {
          dir: flags.dir,
          scheme: flags.scheme,
          secrets: flags.secret ?? [],
          header: flags.header ?? null,
          toleranceSeconds: flags.tolerance === undefined ? undefined : flags.tolerance / 1000,
          json: flags.json,
        },
        process.stdout,
      );
    });
}
