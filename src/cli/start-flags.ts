import { type Command, Option } from 'commander';
import { parseEventRule } from '../event-types/event-type.js';
import { DEFAULTS } from '../defaults.js';
import { parseRule } from '../jobs/extract.js';
import { checkBasicAuth, checkPublicUrl } from '../tunnel/url-checks.js';
import { checkedBy, collect, collectChecked, dirOption, duration, port, size, wholeNumber } from './args.js';
import { addRuleFlags } from './rule-flags.js';
import { parseProviderUrl, parseTarget } from '../send/target.js';
import { SCHEME_NAMES } from '../capture/signature.js';

/** What differs between the commands that take start's flags. */
export interface StartFlagsOptions {
  /** Instead of the usual `--dir` (capture's has no default). */
  dir?: Option;
  /** The command's own general flags, listed after --fsync. */
  own?: (command: Command) => void;
}

/**
 * The flags that say how hook-catch runs (ports, store, limits, jobs, forward, response rules,
 * tunnel): `start` and `capture` both take them, from here.
 */
export function addStartFlags(command: Command, { dir = dirOption(), own }: StartFlagsOptions = {}): Command {
  command
    .addOption(new Option('-p, --port <port>', 'receiver port, 0 = any free port').default(DEFAULTS.port).argParser(port))
    .addOption(new Option('-H, --host <address>', 'address the receiver binds to (0.0.0.0 for the network)').default(DEFAULTS.host))
    .addOption(
      new Option('-i, --inspector-port <port>', 'inspector page and API port (loopback only), 0 = any free port')
        .default(DEFAULTS.inspectorPort)
        .argParser(port),
    )
    .addOption(dir)
    .addOption(new Option('--max-body <size>', 'largest body accepted; larger is answered 413').default(DEFAULTS.maxBody, '10mb').argParser(size))
    .addOption(
      new Option('--max-header-size <size>', 'largest request head (request line and headers); larger is answered 431 and logged')
        .default(DEFAULTS.maxHeaderSize, '64kb')
        .argParser(size),
    )
    .addOption(
      new Option('--max-requests <n>', 'requests kept; the oldest are dropped first').default(DEFAULTS.maxRequests).argParser(wholeNumber('--max-requests', 1)),
    )
    .option('--fsync', 'acknowledge only once a request is on the disk itself (survives power loss; slower)');
  own?.(command);
  command
    .optionsGroup('Jobs:')
    .option(
      '--job-id-path <rule>',
      'where your provider puts the job id, tried first (repeatable): body.response.request_id, header.x-job-id, query.jobId, path.last',
      collectChecked(parseRule, '--job-id-path'),
    )
    .addOption(
      new Option('--job-ttl <duration>', 'how long a job may wait for its webhook before it is expired').default(DEFAULTS.jobTtlMs, '7d').argParser(duration),
    );
  command
    .optionsGroup('Payloads:')
    .option(
      '--event-path <rule>',
      'where your own provider names the event type, tried first (repeatable): body.kind, header.x-acme-event, acme=body.resource+body.action',
      collectChecked(parseEventRule, '--event-path'),
    )
    .option(
      '--schema <file>',
      "check each webhook's body against your spec and keep the verdict: an OpenAPI 3.1 file with webhooks, a JSON Schema, a folder of them per event type, or hook-catch types output (JSON or YAML)",
    );
  command
    .optionsGroup('Your app (forward):')
    .option(
      '--forward <url>',
      "send every webhook on to your app too (its path and query go below this URL's path), byte-exact",
      checkedBy((value, flag) => (parseTarget(value, flag), value), '--forward'),
    )
    .addOption(
      new Option(
        '--forward-mode <mode>',
        "wait: the sender gets your app's answer (502/504 when it is down or slow); ack: 200 at once, forwarded in the background",
      )
        .choices(['wait', 'ack'])
        .default('wait'),
    )
    .addOption(new Option('--forward-timeout <duration>', 'how long a forward waits for your app').default(DEFAULTS.sendTimeoutMs, '10s').argParser(duration))
    .option('--insecure', 'accept a self-signed TLS certificate from an https --forward target')
    .optionsGroup('Your provider (record the whole job: point your app at the provider port):')
    .option(
      '--provider <url>',
      "the provider's API base URL: opens the provider port, which sends your app's calls on and keeps each with its answer; a submit registers its job",
      checkedBy((value, flag) => (parseProviderUrl(value, flag), value), '--provider'),
    )
    .addOption(new Option('--provider-port <port>', 'where your app sends its API calls, 0 = any free port').default(DEFAULTS.providerPort).argParser(port))
    .option('--rewrite-webhook-url', "give the provider hook-catch's URL in place of a local webhook URL in a submit, and forward that job's webhooks to it")
    .addOption(
      new Option('--provider-timeout <duration>', "how long the provider port waits for the provider's answer (then 504)")
        .default(DEFAULTS.providerTimeoutMs, '2m')
        .argParser(duration),
    )
    .optionsGroup('What the receiver answers (a response rule; every request is still captured):');
  addRuleFlags(command, '');
  addVerifyFlags(command);
  addTunnelFlags(command);
  return command;
}

function addVerifyFlags(command: Command): void {
  command
    .optionsGroup('Signatures (a verdict kept with each capture; nothing is refused):')
    .option(
      '--verify <[/path=]scheme[:secret]>',
      `check signatures (repeatable): ${SCHEME_NAMES.join(', ')}; a secret alone finds the scheme from the headers; '$NAME' reads the secret from that variable, no secret reads the scheme's own (STRIPE_WEBHOOK_SECRET, …)`,
      collect,
    )
    .option('--verify-header <name>', 'the header holding an hmac-sha256 / hmac-sha1 signature (default: found by name)')
    .addOption(
      new Option(
        '--verify-tolerance <duration>',
        "how old a signed timestamp may be (Stripe, Slack, Standard Webhooks, Svix, Paddle; default: 5m, Paddle's own 5s)",
      ).argParser(duration),
    );
}

function addTunnelFlags(command: Command): void {
  command
    .optionsGroup('Public URL (ngrok):')
    .option('--authtoken <token>', "ngrok authtoken (default: NGROK_AUTHTOKEN, then the ngrok agent's ngrok.yml)")
    .option('--no-tunnel', 'stay local: no public URL, no notice about it')
    .option('--public-url <url>', 'your own public URL (another tunnel or a proxy) to show and use instead of ngrok', checkedBy(checkPublicUrl, '--public-url'))
    .option('--domain <domain>', 'a reserved or static ngrok domain')
    .option('--basic-auth <user:pass>', 'ask for this user and password on the public URL (repeatable)', collectChecked(checkBasicAuth, '--basic-auth'))
    .option('--allow-cidr <cidr>', 'accept public traffic only from these addresses (repeatable)', collect)
    .option('--deny-cidr <cidr>', 'refuse public traffic from these addresses (repeatable)', collect)
    .option(
      '--verify-webhook <provider>',
      "ngrok checks each webhook's signature at its edge and refuses bad ones (github, stripe, slack, …); --verify checks here and refuses nothing",
    )
    .option('--verify-webhook-secret <secret>', 'the signing secret for --verify-webhook')
    .addOption(
      new Option('--tunnel-timeout <duration>', 'give up on the tunnel after this long (20, 20s, 1m) and go on local-only')
        .default(DEFAULTS.tunnelTimeoutMs, '20s')
        .argParser(duration),
    )
    .option('--require-tunnel', 'exit 1 instead of going on local-only when no tunnel can be opened (for CI)')
    .option('--ngrok-server-addr <host:port>', 'advanced: the ngrok service to connect to (self-hosted or test endpoints)');
}
