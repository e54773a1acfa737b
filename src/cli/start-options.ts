import type { OptionValues } from 'commander';
import { HookCatchError } from '../errors.js';
import type { HookCatchOptions, OutputMode } from '../options.js';
import type { VerifyInput } from '../capture/signature.js';
import { parseVerify } from '../signatures/verify-rules.js';
import { ruleFromFlags } from './rule-flags.js';

// What start's flags (start-flags.ts) say, read once the command runs: `start` and `capture` take them.

/** Commander's flags to the library's options (the names differ only where a flag reads better). */
export function toOptions(flags: OptionValues): HookCatchOptions {
  const output: OutputMode = flags.json ? 'json' : flags.quiet ? 'quiet' : 'pretty';
  const verify = flags.verifyWebhook || flags.verifyWebhookSecret;
  if (verify && !(flags.verifyWebhook && flags.verifyWebhookSecret)) {
    throw new HookCatchError('--verify-webhook <provider> needs --verify-webhook-secret <secret> too (and the other way round).');
  }
  return {
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
    eventPaths: flags.eventPath,
    jobTtlMs: flags.jobTtl,
    forward: flags.forward,
    forwardMode: flags.forwardMode,
    forwardTimeoutMs: flags.forwardTimeout,
    insecure: flags.insecure,
    provider: flags.provider,
    providerPort: flags.providerPort,
    rewriteWebhookUrl: flags.rewriteWebhookUrl,
    providerTimeoutMs: flags.providerTimeout,
    rules: [ruleFromFlags(flags)].filter((rule) => rule !== null),
    verify: verifyFromFlags(flags),
    schema: flags.schema,
  };
}

/** `--verify` texts to rules: read here, not by the flag parser, so that no message ever echoes a secret. */
function verifyFromFlags(flags: OptionValues): VerifyInput[] {
  return (flags.verify ?? []).map((text: string) => ({
    ...parseVerify(text),
    header: flags.verifyHeader ?? null,
    ...(flags.verifyTolerance !== undefined && { toleranceSeconds: flags.verifyTolerance / 1000 }),
  }));
}
