// What a running hook-catch says of itself: `GET /api/status`, the stream's first message, and instance.json.
import type { SchemeName } from '../capture/shapes.js';

/** What `<dir>/instance.json` says about the running instance, for the other commands and scripts. */
export interface InstanceInfo {
  pid: number;
  version: string;
  startedAt: string;
  dir: string;
  receiverUrl: string;
  webhookUrl: string;
  inspectorUrl: string;
  publicUrl: string | null;
  publicWebhookUrl: string | null;
  receiverPort: number;
  inspectorPort: number;
  /** `--provider`: the provider port's base URL (give it to the app as its API base URL), and the provider behind it. */
  providerUrl?: string;
  provider?: string;
}

/** The tunnel dropped (`closed`, ngrok retries) or came back (`connected`). */
export type TunnelStatus = 'connected' | 'closed';

/** The public URL and how it came. */
export interface TunnelState {
  url: string | null;
  /** `ngrok`, `public-url` (the user's own), or null when local-only. */
  via: 'ngrok' | 'public-url' | null;
  /** Where the ngrok authtoken came from (never the token). */
  tokenSource: string | null;
  status: TunnelStatus | 'off' | 'failed';
  error: string | null;
}

/** `start --forward`: where captures go on to, whether the sender waits for the app's answer, and the background queue. */
export interface ForwardTarget {
  url: string;
  mode: 'wait' | 'ack';
  /** Captures waiting for their forward, and being forwarded now (none in `wait` mode). */
  waiting?: number;
  sending?: number;
}

/** One `--verify` in force: its scheme and paths in words, never its secret. */
export interface VerifySummary {
  scheme: SchemeName | 'auto';
  path: string | null;
  header: string | null;
  /** Null when none was given for a rule that finds its scheme from the headers: each scheme's own (5 min, Paddle's 5 s). */
  toleranceSeconds: number | null;
  text: string;
}

/** `GET /api/status`, and the stream's first message. The instance's fields are there once it listens. */
export interface Status extends Partial<InstanceInfo> {
  tunnel: TunnelState | undefined;
  uptimeSeconds: number;
  requests: { stored: number; newestId: string | null; capturedSinceStart: number; maxRequests: number };
  maxBody: number;
  maxHeaderSize: number;
  fsync: boolean;
  /** `start --forward`; null when not forwarding. */
  forward: ForwardTarget | null;
  /** How many response rules are in force. */
  rules: number;
  verify: VerifySummary[];
  stream: { clients: number };
}

/** `GET /api`: what the inspector API offers, one line an endpoint. */
export interface ApiIndex {
  name: string;
  endpoints: string[];
}
