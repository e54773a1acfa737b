/** The inspector API and stream as the page sees them (the server's shapes, from the client's side). */

export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'expired';
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
  response: { status: number };
  refusal?: { code: string; reason: string };
  bodyEncoding: 'utf8' | 'base64';
  body: string;
  summary: ListedRequest;
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
}

/** A job as the stream announces it: without history and deliveries. */
export type JobSummary = Omit<Job, 'deliveries' | 'history'> & { deliveryCount: number };

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
}

export type StreamMessage =
  | ({ type: 'status' } & Status)
  | { type: 'request'; request: ListedRequest }
  | { type: 'deleted'; id: string }
  | { type: 'cleared'; count: number }
  | { type: 'reset'; reason: string }
  | { type: 'tunnel'; status: string; publicUrl: string | null }
  | { type: 'job'; event: 'registered'; job: JobSummary }
  | { type: 'job'; event: 'delivered'; job: JobSummary; delivery: Delivery }
  | { type: 'job'; event: 'status'; job: JobSummary; from: JobStatus; to: JobStatus };
