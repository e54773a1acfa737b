import { HookCatchError } from '../../errors.js';
import { shortId } from '../../capture/ids.js';
import { formatTime } from '../../units.js';
import { checkStored } from '../../signatures/verifier.js';
import { checkVerify, fromEnv, secretOf, SECRET_ENV } from '../../signatures/verify-rules.js';
import type { SchemeName, SignatureVerdict } from '../../capture/signature.js';
import { openForReading } from '../../store/open-readonly.js';
import { chalkFor } from '../../terminal/color.js';
import { signatureNote } from '../../terminal/request-line.js';
import { runningOn } from '../../client/instance.js';

/** 0 the signature is valid, 2 it is not (or could not be checked). */
export const VERIFY_EXIT = { valid: 0, notValid: 2 } as const;

export interface VerifyCommandOptions {
  dir: string;
  scheme: SchemeName | 'auto';
  /** As written: secrets, or `$NAME`; none reads the scheme's own variable. */
  secrets: string[];
  header: string | null;
  /** Unset: each scheme's own. */
  toleranceSeconds?: number;
  json?: boolean;
}

/** `hook-catch verify <id>`: checks a stored capture's signature with the secrets given now; returns the exit code. */
export async function verifyCapture(ref: string, options: VerifyCommandOptions, stdout: NodeJS.WritableStream): Promise<number> {
  const secrets = secretsOf(options);
  const rules = secrets.map((secret) => checkVerify({ scheme: options.scheme, secret, header: options.header, toleranceSeconds: options.toleranceSeconds }));
  const { log } = await openForReading(options.dir);
  const request = await log.get(ref);
  if (!request) throw new HookCatchError(`No stored request matches "${ref}" in ${options.dir}. \`hook-catch list\` shows what is stored.`);
  const publicUrl = (await runningOn(options.dir))?.instance.publicUrl ?? null;
  // Each secret on its own, so that the answer says which one signed it.
  const verdicts: SignatureVerdict[] = [];
  for (const rule of rules) verdicts.push(await checkStored(request, rule, publicUrl));
  const best = verdicts.find((v) => v.verdict === 'valid') ?? verdicts[0]!;
  if (options.json) {
    stdout.write(
      JSON.stringify({ id: request.id, signature: best, ...(verdicts.length > 1 && { secrets: verdicts }), recorded: request.signature ?? null }, null, 2) +
        '\n',
    );
  } else {
    const c = chalkFor(stdout);
    stdout.write(`${c.bold(`${request.method} ${request.url}`)}  ${c.dim(`${shortId(request.id)}, received ${formatTime(request.receivedAt, true)}`)}\n`);
    verdicts.forEach((verdict, i) => {
      const label = verdicts.length > 1 ? `secret ${i + 1}: ` : '';
      stdout.write(
        `${label}${signatureNote(verdict, c)}${verdict.detected ? c.dim(' (scheme found from the headers)') : ''}${verdict.verdict === 'valid' && verdict.reason ? c.dim(`  ${verdict.reason}`) : ''}${verdict.verdict === 'unchecked' && verdict.reason ? c.dim(`: ${verdict.reason}`) : ''}\n`,
      );
    });
    if (request.signature) stdout.write(c.dim(`verdict kept when it arrived: ${signatureNote(request.signature, c)}\n`));
  }
  return best.verdict === 'valid' ? VERIFY_EXIT.valid : VERIFY_EXIT.notValid;
}

function secretsOf(options: VerifyCommandOptions): string[] {
  if (options.secrets.length) return options.secrets.map((text) => secretOf(text, '--secret'));
  if (options.scheme === 'auto')
    throw new HookCatchError(
      `Give the secret to check with: --secret SECRET (or --secret '$NAME' for an environment variable), or --scheme to read its own (${SECRET_ENV.stripe}, …).`,
    );
  return [fromEnv(SECRET_ENV[options.scheme], '--secret', options.scheme)];
}
