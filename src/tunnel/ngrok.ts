import { describe, HookCatchError } from '../errors.js';
import type { TunnelStatus } from '../wire/status.js';

export type { TunnelStatus } from '../wire/status.js';

export interface TunnelOptions {
  /** The receiver's address: the tunnel forwards to it and to nothing else. */
  host: string;
  port: number;
  authtoken: string;
  /** A reserved or static ngrok domain. */
  domain?: string;
  /** `user:pass` pairs the public URL asks for. */
  basicAuth?: string[];
  allowCidrs?: string[];
  denyCidrs?: string[];
  /** ngrok verifies the provider's webhook signature at its edge. */
  verifyWebhook?: { provider: string; secret: string };
  /** The ngrok service to connect to, `host:port` (advanced; ngrok's own by default). */
  serverAddr?: string;
  /** How long to wait for the tunnel before giving up. */
  timeoutMs: number;
  /** Reconnects and disconnects after the tunnel is up. */
  onStatus?: (status: TunnelStatus) => void;
}

export interface Tunnel {
  /** The public base URL, e.g. `https://abc123.ngrok-free.app`. */
  url: string;
  /** Closes the tunnel; never takes longer than about a second, even if ngrok does not answer. */
  close(): Promise<void>;
}

/** Opens a public URL to the receiver. `start()` takes any function of this shape (`openTunnel`). */
export type OpenTunnel = (options: TunnelOptions) => Promise<Tunnel>;

const CLOSE_DEADLINE_MS = 1000;

/** The ngrok tunnel: the only code that loads `@ngrok/ngrok` (and only when a tunnel is wanted). */
export const openNgrokTunnel: OpenTunnel = async (options) => {
  const ngrok = (await import('@ngrok/ngrok')).default;
  let up = false;
  const forwarding = ngrok.forward({
    addr: `${options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${options.port}`,
    proto: 'http',
    authtoken: options.authtoken,
    force_new_session: true,
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.basicAuth?.length ? { basic_auth: options.basicAuth } : {}),
    ...(options.allowCidrs?.length ? { ip_restriction_allow_cidrs: options.allowCidrs } : {}),
    ...(options.denyCidrs?.length ? { ip_restriction_deny_cidrs: options.denyCidrs } : {}),
    ...(options.verifyWebhook ? { verify_webhook_provider: options.verifyWebhook.provider, verify_webhook_secret: options.verifyWebhook.secret } : {}),
    ...(options.serverAddr ? { server_addr: options.serverAddr } : {}),
    onStatusChange: (status: string) => {
      if (up && (status === 'connected' || status === 'closed')) options.onStatus?.(status);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TunnelTimeout()), options.timeoutMs);
  });
  let listener: Awaited<typeof forwarding>;
  try {
    listener = await Promise.race([forwarding, timeout]);
  } catch (error) {
    // A connection attempt that never answers stays pending inside the SDK; let it go in the background.
    if (error instanceof TunnelTimeout) void ngrok.disconnect().catch(() => undefined);
    throw new HookCatchError(tunnelFailure(error, options));
  } finally {
    clearTimeout(timer);
  }
  const url = listener.url();
  if (!url) throw new HookCatchError('ngrok opened a tunnel but gave it no URL.');
  up = true;
  return {
    url,
    close: () =>
      withDeadline(
        listener.close().then(() => ngrok.disconnect()),
        CLOSE_DEADLINE_MS,
      ),
  };
};

class TunnelTimeout extends Error {}

/** ngrok's errors in plain words, with its ERR_NGROK code, and what to do. */
export function tunnelFailure(error: unknown, options: Pick<TunnelOptions, 'timeoutMs' | 'domain'>): string {
  if (error instanceof TunnelTimeout) {
    return `ngrok did not answer within ${options.timeoutMs / 1000} s (--tunnel-timeout); check the network, or raise the timeout.`;
  }
  const text = describe(error);
  const code = /ERR_NGROK_\d+/.exec(text)?.[0];
  const number = code ? Number(code.slice('ERR_NGROK_'.length)) : undefined;
  const where = 'https://dashboard.ngrok.com/get-started/your-authtoken';
  let plain: string;
  if (number === 4018) plain = `ngrok needs an account and its authtoken: get one at ${where}`;
  else if (number === 105 || number === 106 || number === 107 || number === 300) {
    plain = `ngrok refused the authtoken (wrong, revoked or from an old account); copy the current one from ${where}`;
  } else if (number === 108 || number === 348 || number === 349) {
    plain = 'your ngrok account has reached its limit of simultaneous agent sessions; stop another ngrok agent or hook-catch';
  } else if (number === 120 || number === 121) plain = 'this ngrok agent version is not accepted by your account';
  else if ([313, 314, 319, 320, 15013].includes(number ?? 0)) {
    plain = `ngrok cannot give you the domain ${options.domain ?? ''} (--domain): reserve it in the ngrok dashboard, or leave --domain out`;
  } else if (number === 334) plain = `the domain ${options.domain ?? ''} is already online in another ngrok session`;
  else if (/tcp connection|dns|resolve|network|unreachable|timed out/i.test(text)) {
    plain = 'could not reach the ngrok service (no network, or a firewall)';
  } else if (/tls handshake/i.test(text)) plain = 'could not talk to the ngrok service securely (a proxy in the way?)';
  else plain = firstLine(text.replace(/^failed to (connect session|start listener):\s*/, ''));
  return `Tunnel failed: ${plain}${code ? ` (${code})` : ''}.`;
}

function firstLine(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/\s*error_code:.*$/, '')
    .replace(/\.$/, '');
}

function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}
