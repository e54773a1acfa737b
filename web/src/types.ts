/** The inspector API and stream as the page sees them (the server's shapes, from the client's side). */

/**
 * `webhook_lost`: the provider's status endpoint (polled) said the job ended, and no webhook came within the grace period.
 * `refused`: webhooks came, but every one was answered non-2xx (not acknowledged). `imported`: known only from imported fixtures.
 */
export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'expired' | 'webhook_lost' | 'refused' | 'imported';
export type PayloadStatus = 'in_progress' | 'completed' | 'failed';

export interface JobMatch {
  jobId: string;
  jobStatus: JobStatus;
  expected: boolean;
  matchedBy: string;
  attempt: number;
  duplicate: boolean;
  status: PayloadStatus;
  statusWord: string | null;
  source: Delivery['source'];
  /** A webhook its sender was answered non-2xx: not acknowledged. */
  refused: boolean;
}

/** One row of the request list: a stored request without headers or body, with its job match. */
export interface ListedRequest {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  path: string;
  contentType: string | null;
  bodySize: number;
  bodyDiscarded: boolean;
  status: number;
  remoteAddress: string | null;
  refusal?: { code: string; reason: string };
  invalidJson?: true;
  job: JobMatch | null;
  /** What the user's app answered when hook-catch forwarded this (`start --forward`); `status` is then what the sender got. */
  forward?: ForwardInfo;
  /** The signature check's verdict (`start --verify`); absent when no --verify covers the request. */
  signature?: SignatureVerdict;
  /** Only on a provider's status endpoint's answer that hook-catch polled (`expect --poll`). */
  poll?: PollInfo;
  /** Only on a capture imported from a fixture: `receivedAt` is when it was first received; it arrived here by its id. */
  imported?: true;
}

/** Which job's status endpoint was polled, where (`$NAME` variables left as written), and how long it took. */
export interface PollInfo {
  jobId: string;
  url: string;
  latencyMs: number;
}

/** The signing schemes hook-catch checks (the server's SCHEME_NAMES, in its order). */
export const SCHEME_NAMES = ['stripe', 'github', 'standard-webhooks', 'svix', 'slack', 'shopify', 'twilio', 'hmac-sha256', 'hmac-sha1'] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

/** What hook-catch concluded about a capture's signature. */
export interface SignatureVerdict {
  verdict: 'valid' | 'invalid' | 'unchecked';
  /** The scheme checked; null when none applied. */
  scheme: SchemeName | null;
  /** The scheme was found from the headers (only a secret was given). */
  detected?: true;
  /** Why, in plain words (for a valid one, anything worth knowing). */
  reason?: string;
}

/** What `POST /api/requests/:id/verify` takes: the secret is never stored nor echoed. */
export interface VerifyInput {
  scheme?: SchemeName;
  secret: string;
  /** For hmac-sha256 / hmac-sha1: the header holding the signature. */
  header?: string;
}

/** What the user's app answered a forwarded capture: its status, or null and why not. */
export interface ForwardInfo {
  status: number | null;
  latencyMs: number;
  error?: string;
  /** hook-catch never sent it: `error` says why (`not forwarded: …`). */
  notSent?: true;
}

export interface RequestPage {
  items: ListedRequest[];
  total: number;
  nextBefore: string | null;
}

/** One stored request in full (`GET /api/requests/:id`). */
export interface RequestRecord {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  path: string;
  query: [string, string][];
  httpVersion: string;
  headers: [string, string][];
  remoteAddress: string | null;
  contentType: string | null;
  bodySize: number;
  bodyDiscarded: boolean;
  /** What hook-catch answered, and the response rule that decided it (in words), if one did. */
  response: { status: number; rule?: string };
  forward?: ForwardInfo;
  refusal?: { code: string; reason: string };
  signature?: SignatureVerdict;
  bodyEncoding: 'utf8' | 'base64';
  body: string;
  summary: ListedRequest;
  replays: ReplayRecord[];
}

/** Why a replay's target gave no answer. */
export type SendFailure = 'bad-url' | 'refused' | 'timeout' | 'tls' | 'dns' | 'reset' | 'loop' | 'other';

/** What a replay's target answered (its body at most a few kB), or why it did not. */
export type ReplayResult =
  | { ok: true; status: number; statusText: string; headers: [string, string][]; body: string; bodyEncoding: 'utf8' | 'base64'; bodySize: number; truncated: boolean; latencyMs: number }
  | { ok: false; failure: SendFailure; error: string; latencyMs: number };

/** One replay of a capture (`POST /api/requests/:id/replay`, `GET …/replays`). */
export interface ReplayRecord {
  id: string;
  /** The capture it sent again. */
  of: string;
  at: string;
  /** The full URL it went to. */
  to: string;
  edited: boolean;
  /** The scheme it was signed again under (`resign`), with a fresh timestamp. */
  resigned?: SchemeName;
  /** Why the target likely refused it (a signature over the URL the webhook was sent to, now another). */
  warning?: string;
  sent: { method: string; url: string; headers: [string, string][]; bodySize: number; body?: string; bodyEncoding?: 'utf8' | 'base64' };
  result: ReplayResult;
  /** Only on a replay that was sent but could not be kept in the store (a full disk): why. */
  notKept?: string;
}

/** A replay as the stream announces it, and as the detail lists it. */
export interface ReplaySummary {
  id: string;
  of: string;
  at: string;
  to: string;
  edited: boolean;
  /** Only when it was signed again (the page's own replays; the stream does not say). */
  resigned?: SchemeName;
  method: string;
  status: number | null;
  latencyMs: number;
  error?: string;
}

/** What `POST /api/requests/:id/replay` takes: every field may be left out. */
export interface ReplayInput {
  to?: string;
  method?: string;
  path?: string;
  headers?: [string, string][];
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  /** Sign the (edited) body again with this instance's --verify secret, under the capture's scheme, timestamped now. */
  resign?: boolean;
}

/** A response rule: what the receiver answers instead of 200. */
export interface ResponseRule {
  id: string;
  /** Path prefix; null: every path. */
  path: string | null;
  status: number;
  /** null: hook-catch's usual JSON answer. */
  body: string | null;
  headers: [string, string][];
  delayMs: number;
  /** The first N deliveries of each job (or distinct body) are answered 500. */
  failFirst: number;
  source: 'start' | 'api';
  createdAt: string;
}

export interface Delivery {
  requestId: string;
  receivedAt: string;
  matchedBy: string;
  status: PayloadStatus;
  statusWord: string | null;
  attempt: number;
  duplicate: boolean;
  bodyHash: string;
  /** `webhook`: the provider sent it; `poll`: hook-catch fetched it from the provider's status endpoint; `import`: an imported fixture, not a live delivery. */
  source: 'webhook' | 'poll' | 'import';
  /** The HTTP status its sender was answered (a webhook answered non-2xx was refused). */
  answered: number;
}

/** What the provider's status endpoint said last. */
export interface ProviderStatus {
  status: PayloadStatus | null;
  statusWord: string | null;
  at: string;
  requestId: string;
}

/** A job's polling of its provider's status endpoint (`expect --poll`). Never holds a secret. */
export interface JobPoll {
  /** `{jobId}` filled in, `$NAME` variables left as written. */
  url: string;
  everyMs: number;
  graceMs: number;
  statusPath: string | null;
  state: 'polling' | 'done' | 'paused';
  /** Polls made by this run of hook-catch. */
  count: number;
  lastPolledAt: string | null;
  lastHttpStatus: number | null;
  /** The last poll's error, or why polling is paused, in plain words. */
  error: string | null;
  nextAt: string | null;
  provider: ProviderStatus | null;
  /** When the provider first said the job ended. */
  doneAt: string | null;
  /** How long after `doneAt` the ending webhook came (negative: before). */
  webhookLagMs: number | null;
}

export interface Job {
  id: string;
  label: string | null;
  source: 'expect' | 'webhook';
  registeredAt: string | null;
  firstSeenAt: string;
  expiresAt: string;
  status: JobStatus;
  history: { status: JobStatus; at: string }[];
  deliveries: Delivery[];
  /** Present when its status endpoint is polled (`expect --poll`). */
  poll?: JobPoll;
}

/** A job as the stream announces it: without history and deliveries (with its polling, if any). */
export type JobSummary = Omit<Job, 'deliveries' | 'history'> & { deliveryCount: number; refusedCount: number; refusedWith: number[]; importedCount: number };

/** What `POST /api/jobs` takes. */
export interface JobInput {
  id: string;
  label?: string;
  ttl?: string;
  poll?: { url: string; headers?: string[]; every?: string; grace?: string; statusPath?: string };
}

export interface TunnelState {
  url: string | null;
  via: 'ngrok' | 'public-url' | null;
  tokenSource: string | null;
  status: string;
  error: string | null;
}

export interface Status {
  receiverUrl?: string;
  webhookUrl?: string;
  inspectorUrl?: string;
  publicUrl?: string | null;
  publicWebhookUrl?: string | null;
  tunnel?: TunnelState;
  requests: { stored: number; newestId: string | null; capturedSinceStart: number; maxRequests: number };
  maxBody: number;
  /** `start --forward`: where captures go on to, and whether the sender waits for the app's answer. */
  forward?: ForwardTarget | null;
  /** How many response rules are in force. */
  rules?: number;
}

/** `start --forward`: where captures go on to, whether the sender waits for the app's answer, and the background queue. */
export interface ForwardTarget {
  url: string;
  mode: 'wait' | 'ack';
  /** Captures waiting for their forward, and being forwarded now. */
  waiting?: number;
  sending?: number;
}

export type StreamMessage =
  | ({ type: 'status' } & Status)
  | { type: 'request'; request: ListedRequest }
  | { type: 'deleted'; id: string }
  | { type: 'cleared'; count: number }
  | { type: 'reset'; reason: string }
  | { type: 'tunnel'; status: string; publicUrl: string | null }
  | { type: 'forwarded'; id: string; status: number; forward: ForwardInfo }
  | { type: 'forwardQueue'; waiting: number; sending: number }
  | { type: 'replay'; replay: ReplaySummary }
  | { type: 'rules'; rules: ResponseRule[] }
  | { type: 'job'; event: 'registered'; job: JobSummary }
  | { type: 'job'; event: 'delivered'; job: JobSummary; delivery: Delivery }
  | { type: 'job'; event: 'status'; job: JobSummary; from: JobStatus; to: JobStatus }
  /** Its polling changed: a poll made, an error, paused, done. */
  | { type: 'job'; event: 'poll'; job: JobSummary };
