// The capture model's shapes that hold no bytes and need nothing of node: a capture's fields, its
// summary, its signature verdict, its forward and its replays as the store keeps them and the API
// sends them as JSON. The wire contract (src/wire/) is made of these, and the inspector page compiles
// this file as it is (the build copies it into web/src/generated/): keep it free of node and Buffer.

/** The signing schemes hook-catch checks, each as its provider publishes it. */
export const SCHEME_NAMES = ['stripe', 'github', 'standard-webhooks', 'svix', 'slack', 'shopify', 'twilio', 'paddle', 'hmac-sha256', 'hmac-sha1'] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

/** What hook-catch concluded about a capture's signature. */
export interface SignatureVerdict {
  /** `valid`: it verifies; `invalid`: it does not (see `reason`); `unchecked`: it could not be checked (see `reason`). */
  verdict: 'valid' | 'invalid' | 'unchecked';
  /** The scheme checked (null when none applied). */
  scheme: SchemeName | null;
  /** True when the scheme was found from the headers (only a secret was given). */
  detected?: true;
  /** Why it is invalid or unchecked, in plain words; for a valid one, anything worth knowing (which secret). */
  reason?: string;
}

/**
 * What hook-catch found out about a capture or did with it, each field present only when it applies:
 * written in the capture's line, kept in the index, shown in lists. One list for the capture, its
 * summary and its line (MARK_FLAGS in capture.ts names the yes-or-no ones).
 */
export interface CaptureMarks {
  /** Set when node:http's parser (or hook-catch) refused the request: see refusals.ts. */
  refusal?: Refusal;
  /** Set when the Content-Type says JSON but the body does not parse as JSON: see json-check.ts. */
  invalidJson?: true;
  /**
   * Set on a capture put in the store from a fixture (`hook-catch import`), not received: `receivedAt`
   * is when it was first received; it arrived in this store when its id was given (lists go by arrival).
   */
  imported?: true;
  /** What the user's app answered when the capture was forwarded to it (`--forward`); then `response` is what the sender got. */
  forward?: ForwardInfo;
  /**
   * Set when the capture was stored with a forward still to make (`--forward`): written with it, so
   * that a capture whose forward never ended (no `forward` kept) is found and forwarded after a restart.
   */
  forwardOwed?: true;
  /** The signature check's verdict (`--verify`), made as it arrived; absent when no `--verify` covers its path. */
  signature?: SignatureVerdict;
  /**
   * Set on the answer of a provider's status endpoint that hook-catch polled (`expect --poll`), kept
   * like a capture: then `headers` and `body` are the provider's answer and `response.status` its status.
   */
  poll?: PollInfo;
  /**
   * Set on a call the user's app made to its provider through hook-catch's provider port
   * (`--provider`): then the capture is the app's request as it was sent on, `response.status` what
   * the app got, and `answer` (on the full record) the provider's answer.
   */
  outbound?: OutboundInfo;
  /** What kind of event the capture is, where one could be told as it arrived (see src/event-types/). */
  event?: EventType;
  /** Its body checked against the user's schema (`start --schema`), after it was answered. */
  schema?: SchemaVerdict;
  /** Fields of its body that differ from every earlier capture of its event type: new, missing, or of another type. */
  drift?: DriftInfo;
}

/** What hook-catch concluded about a capture's body against the user's schema (`--schema`). */
export interface SchemaVerdict {
  /** `valid`: it matches; `invalid`: it does not (see `errors`); `unchecked`: it could not be checked (see `reason`). */
  verdict: 'valid' | 'invalid' | 'unchecked';
  /** Which schema it was checked against, in the spec's words (`webhooks.orderCreated`, `$defs.IssuesOpened`). */
  against?: string;
  /** For an invalid one: the first few errors, each a JSON path and plain words (`data.object.amount: expected integer, got string "12"`). */
  errors?: string[];
  /** Why it is unchecked (no schema for its event type, a body that is not JSON). */
  reason?: string;
}

/** How a capture's body differs from the earlier captures of its event type. */
export interface DriftInfo {
  /** The event type it was compared within. */
  event: string;
  changes: FieldChange[];
}

/** One field that drifted: `new` (never seen before), `missing` (every earlier sample had it), `type` (its type changed). */
export interface FieldChange {
  /** The field's JSON path (`data.object.amount`, `items[].sku`). */
  path: string;
  change: 'new' | 'missing' | 'type';
  /** For `type`: the types seen before (`integer`) and now (`string`). */
  was?: string;
  now?: string;
}

/** Stored captures of one event type (`GET /api/event-types`, the page's event filter). */
export interface EventCount {
  type: string;
  provider?: string;
  count: number;
  /** The newest capture of this type. */
  lastId: string;
  lastAt: string;
}

/** The event types stored, most captures first, and how many captures have none that could be told. */
export interface EventCounts {
  items: EventCount[];
  untyped: number;
}

/** A capture's event type and where it was read. */
export interface EventType {
  /** The event as its sender names it: `payment_intent.succeeded`, `issues.opened`, `orders/create`, `Succeeded`. */
  type: string;
  /** Who sent it, when a header or the body says so: `github`, `stripe`, `shopify`, `slack`, `standard-webhooks` … */
  provider?: string;
  /** Where the type was read: `header X-Shopify-Topic`, `body.type`, `body.status (status word)`, `rule body.kind`. */
  from: string;
}

/** What a response rule did instead of answering (`--hang`, `--drop`). */
export type Unanswered = 'hung' | 'dropped';

/** A capture without its body: every field the store keeps and the API sends (`CapturedRequest` adds the bytes). */
export interface RequestFields extends CaptureMarks {
  /** Sortable by arrival; see ids.ts. */
  id: string;
  /** ISO-8601 time the request started to arrive. */
  receivedAt: string;
  method: string;
  /** The request target exactly as sent: path and query string. */
  url: string;
  /** The path part of `url`, not decoded. */
  path: string;
  /** Query parameters in order, decoded; a name may repeat. */
  query: [string, string][];
  httpVersion: string;
  /** Headers as received: order, case and duplicates kept. */
  headers: [string, string][];
  remoteAddress: string | null;
  contentType: string | null;
  /** Size of the body in bytes (for a refused body, the size it announced or reached). */
  bodySize: number;
  /** True when the body was over the size limit: it was answered 413 and not kept. */
  bodyDiscarded: boolean;
  /**
   * What hook-catch answered, and the response rule that decided it (in words), if one did.
   * `relayed`: the sender got the user's app's answer instead (`--forward` in wait mode).
   * `unanswered`: a rule answered nothing (then `status` is 0, as HAR writes a request with no
   * response): `hung`, the connection was held open unanswered, then closed; `dropped`, it was
   * closed at once. The request was stored before either.
   */
  response: { status: number; rule?: string; relayed?: true; unanswered?: Unanswered };
  /** On a call through the provider port (`outbound`): the provider's answer, when there was one. */
  answer?: ProviderAnswer;
}

/** What a call through the provider port was, and what came of it (see `CaptureMarks.outbound`). */
export interface OutboundInfo {
  /** The provider's base URL the call went to (`--provider`). */
  provider: string;
  /** `submit`: its answer named a job id; `poll`: it named a known job (path or query); `call`: anything else. */
  role: 'submit' | 'poll' | 'call';
  /** The job it submitted or polled. */
  jobId?: string;
  /** Where the job id was found in the answer (`body.jobId`), for a submit. */
  idAt?: string;
  /** The webhook URL the app gave the provider in a submit, as the app gave it. */
  webhookUrl?: string;
  /** Where that URL was (`query.webhook`, `body.webhook.url`). */
  webhookUrlAt?: string;
  /** With `--rewrite-webhook-url`: the URL the provider was given instead (hook-catch's public URL). */
  rewrittenTo?: string;
  /** From the start of the request to the end of the provider's answer. */
  latencyMs: number;
  /** Why the provider gave no answer (then the app got a 502 from hook-catch). */
  error?: string;
  /** The sha-256 (hex) of the request body, when its bytes were too large to keep (`bodyDiscarded`). */
  bodySha256?: string;
  /** For a multipart body not kept: its parts' names and sizes. */
  parts?: BodyPart[];
}

/** One part of a multipart body, as a scenario keeps a large upload. */
export interface BodyPart {
  name: string | null;
  filename?: string;
  contentType?: string;
  size: number;
}

/** The provider's answer to a call through the provider port, as the store keeps it (its body at most --max-body). */
export interface ProviderAnswer extends EncodedBody {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** The whole answer's size; `truncated` when only its start is kept. */
  bodySize: number;
  truncated: boolean;
}

/** Which job's status endpoint was polled, where (variables left as `$NAME`), and how long it took. */
export interface PollInfo {
  jobId: string;
  url: string;
  latencyMs: number;
}

/** Why a request was refused instead of captured: a machine code (`HPE_INVALID_METHOD` …) and plain words. */
export interface Refusal {
  code: string;
  reason: string;
}

/** What lists show: everything but the headers and the body. */
export interface RequestSummary extends CaptureMarks {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  path: string;
  contentType: string | null;
  bodySize: number;
  bodyDiscarded: boolean;
  /** What its sender was answered; 0 when a rule answered nothing, and then `unanswered` says what it did. */
  status: number;
  unanswered?: Unanswered;
  remoteAddress: string | null;
}

/** A body in JSON: UTF-8 text when it is valid UTF-8 (round-trips byte for byte), base64 otherwise. */
export interface EncodedBody {
  body: string;
  bodyEncoding: 'utf8' | 'base64';
}

/** What the user's app answered a forwarded capture, stored with it. */
export interface ForwardInfo {
  /** The app's status, or null when it did not answer (then `error` says why). */
  status: number | null;
  latencyMs: number;
  error?: string;
  /** True when hook-catch never sent it (`error` says why, starting `not forwarded:`). */
  notSent?: true;
}

/** Why a target gave no answer, as a word a script can test (the message says it in plain words). */
export type SendFailure = 'bad-url' | 'refused' | 'timeout' | 'tls' | 'dns' | 'reset' | 'loop' | 'other';

/** What the target answered, but its body (kept as bytes, or as JSON text in a record). */
export interface AnswerHead {
  ok: true;
  status: number;
  statusText: string;
  /** The answer's headers as received: order, case and duplicates kept. */
  headers: [string, string][];
  /** The size of the whole answer body in bytes. */
  bodySize: number;
  /** True when the body was longer than the cap and only its start is kept. */
  truncated: boolean;
  /** From the start of the request to the end of the answer. */
  latencyMs: number;
}

export interface NotAnswered {
  ok: false;
  failure: SendFailure;
  /** One line in plain words: what happened and what to do. */
  error: string;
  latencyMs: number;
}

/** The request as it was sent again (kept for an edited replay, which may differ in every part). */
export interface SentRequest {
  method: string;
  /** Path and query sent, below the target's path. */
  url: string;
  headers: [string, string][];
}

/** One replay of a capture, as the store keeps it and the API and `show` list it. */
export interface ReplayRecord {
  /** The replay's own id. */
  id: string;
  /** The capture it sent again. */
  of: string;
  /** ISO time it was sent. */
  at: string;
  /** The full URL it was sent to. */
  to: string;
  /** True when the method, path, headers or body were changed first (or it was signed again). */
  edited: boolean;
  /** The scheme it was signed again under (`--resign`), with a fresh timestamp. */
  resigned?: SchemeName;
  /** Why the target likely refused it, said before it was sent: a signature over the URL it was sent to (Twilio's), now another. */
  warning?: string;
  /** What was sent: for an edited replay, the body too (an unedited one sent the capture's exact bytes). */
  sent: SentRequest & Partial<EncodedBody> & { bodySize: number };
  /** The target's answer (its body at most DEFAULTS.keptAnswerBytes), or why there was none. */
  result: AnsweredRecord | (Omit<NotAnswered, 'ok'> & { ok: false });
  /** Only on a replay that was sent but could not be kept in the store (a full disk): why. */
  notKept?: string;
}

/** A target's answer as a replay record keeps it: its body as text or base64. */
export type AnsweredRecord = AnswerHead & EncodedBody;
