import { HookCatchError } from '../errors.js';
import type { OpenTunnel, Tunnel, TunnelStatus } from './ngrok.js';
import type { TunnelState } from '../wire/status.js';
import { findAuthtoken } from './token.js';

/** How the receiver is reachable from the internet, as the banner, instance.json and /api/status tell it: the wire contract's `TunnelState`. */
export type PublicState = TunnelState;

export interface PublicUrl {
  state: PublicState;
  tunnel: Tunnel | null;
  /** One line for the terminal: why there is no public URL and how to get one. */
  notice: string | null;
  /** True when a tunnel was wanted and could not be opened (the notice is then a warning). */
  failed?: boolean;
}

export const NO_TOKEN_NOTICE =
  'No ngrok authtoken found, so there is no public URL (local only). To get one: copy your token from ' +
  'https://dashboard.ngrok.com/get-started/your-authtoken and set NGROK_AUTHTOKEN, or pass --authtoken ' +
  '(--no-tunnel hides this line).';

/** What opening the public URL takes of start's options (see HookCatchOptions for each). */
export interface PublicUrlOptions {
  tunnel: boolean;
  authtoken?: string;
  publicUrl: string | null;
  domain?: string;
  basicAuth: string[];
  allowCidrs: string[];
  denyCidrs: string[];
  verifyWebhook?: { provider: string; secret: string };
  tunnelTimeoutMs: number;
  requireTunnel: boolean;
  ngrokServerAddr?: string;
  openTunnel: OpenTunnel;
}

/**
 * Gives the receiver a public URL: the user's own (`publicUrl`), or an ngrok tunnel when a token is
 * found. A tunnel that cannot be opened leaves hook-catch local-only with one line saying why,
 * unless `requireTunnel` makes that an error.
 */
export async function openPublicUrl(
  options: PublicUrlOptions,
  receiver: { host: string; port: number },
  progress: (text: string) => void,
  onStatus: (status: TunnelStatus) => void,
): Promise<PublicUrl> {
  const state: PublicState = { url: null, via: null, tokenSource: null, status: 'off', error: null };
  if (options.publicUrl) {
    Object.assign(state, { url: options.publicUrl, via: 'public-url' });
    return { state, tunnel: null, notice: null };
  }
  if (!options.tunnel) {
    if (options.requireTunnel) throw new HookCatchError('--require-tunnel and --no-tunnel contradict each other; drop one.');
    return { state, tunnel: null, notice: null };
  }
  const found = await findAuthtoken({ flag: options.authtoken });
  if (!found) {
    if (options.requireTunnel) throw new HookCatchError(`--require-tunnel: ${NO_TOKEN_NOTICE.replace(' (--no-tunnel hides this line)', '')}`);
    return { state, tunnel: null, notice: NO_TOKEN_NOTICE };
  }
  state.tokenSource = found.source;
  progress(`opening an ngrok tunnel to the receiver (authtoken from ${found.source})…`);
  try {
    const tunnel = await options.openTunnel({
      host: receiver.host,
      port: receiver.port,
      authtoken: found.token,
      domain: options.domain,
      basicAuth: options.basicAuth,
      allowCidrs: options.allowCidrs,
      denyCidrs: options.denyCidrs,
      verifyWebhook: options.verifyWebhook,
      serverAddr: options.ngrokServerAddr,
      timeoutMs: options.tunnelTimeoutMs,
      onStatus: (status) => {
        state.status = status;
        onStatus(status);
      },
    });
    Object.assign(state, { url: tunnel.url, via: 'ngrok', status: 'connected' });
    return { state, tunnel, notice: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (options.requireTunnel) throw new HookCatchError(`${message} Exiting (--require-tunnel).`);
    state.status = 'failed';
    state.error = message;
    return { state, tunnel: null, notice: `${message} Going on local-only.`, failed: true };
  }
}
