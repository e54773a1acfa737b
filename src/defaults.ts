/**
 * The one place each default is set: the library's options (options.ts), the CLI's flags, the API
 * and the store read these, and docs/cli.md's tables show them. (No imports: anything may read it.)
 */
export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  inspectorPort: 4040,
  dir: '.hook-catch',
  /** 10 MB (sizes are decimal: 1 MB = 1,000,000 bytes). */
  maxBody: 10_000_000,
  /** 64 kB: four times what node:http takes by default, for providers that send large headers. */
  maxHeaderSize: 64_000,
  maxRequests: 10_000,
  /** How long a request head may take to arrive whole (a provider sends its head at once): 10 s. */
  headersTimeoutMs: 10_000,
  /** How long a whole request may take to arrive (node:http's own default): 5 minutes. */
  requestTimeoutMs: 300_000,
  closeGraceMs: 1500,
  tunnelTimeoutMs: 20_000,
  jobTtlMs: 7 * 24 * 60 * 60 * 1000,
  maxJobs: 5000,
  /** `hook-catch wait --timeout`: 10 minutes. */
  waitTimeoutMs: 10 * 60 * 1000,
  /**
   * `capture --settle`: how long capture listens on after the last expected job settled, so that a
   * duplicate its provider sends a moment later is saved too: 3 s, several times a webhook's round
   * trip through a tunnel, and little added to a CI run.
   */
  captureSettleMs: 3000,
  /** `GET /api/jobs/:id/wait` without `timeout`. */
  apiWaitTimeoutMs: 30_000,
  /** A live-stream client whose unsent messages pass this many bytes is dropped (1 MB). */
  streamBufferBytes: 1_000_000,
  /** How long replay and forward wait for the target's answer (`--timeout`, `--forward-timeout`): 10 s. */
  sendTimeoutMs: 10_000,
  /** Of a replay's answer, this many bytes are kept and shown with `--json` (1 MB). */
  keptAnswerBytes: 1_000_000,
  /** How old a signed timestamp may be before the signature is judged stale (Stripe's, Slack's, Standard Webhooks' own default): 5 minutes. */
  signatureToleranceSeconds: 300,
  /** `expect --poll`: how often the provider's status endpoint is asked at first (it backs off from there): 30 s. */
  pollEveryMs: 30_000,
  /** `expect --poll`: how long after the provider says a job ended its webhook may take before the job is flagged webhook lost: 2 min. */
  pollGraceMs: 2 * 60_000,
  /** Requests per page: `hook-catch list --limit`, `GET /api/requests?limit=`. */
  pageSize: 50,
  /** `start --provider`: the provider port, where the app sends its calls to the provider. */
  providerPort: 8081,
  /** How long the provider port waits for the provider's answer before it answers the app 504: 2 minutes (an upload's submit can be slow). */
  providerTimeoutMs: 120_000,
  /** `hook-catch mock --port`: where the provider double serves the recorded API. */
  mockPort: 8082,
  /** The mock events a running hook-catch keeps in memory for the page (`/api/mock/events`): the newest. */
  mockEventsKept: 500,
  /** `mock --retries`/`--backoff` when a scenario recorded no retries: seed 003's schedule, 2, 4, 8 and 16 minutes after each failure. */
  mockBackoffMs: [120_000, 240_000, 480_000, 960_000],
  /**
   * `hook-catch mcp`: of a body (a capture's, a replay's answer), the most characters one tool result
   * carries: 8,000, a few thousand tokens of a model's context. The rest is read with show_request's
   * `offset`; a result says where it was cut.
   */
  mcpBodyChars: 8_000,
  /** `hook-catch mcp`: wait_for_job without `timeout`: 50 s, within the 60 s an MCP client gives a call by default. */
  mcpWaitTimeoutMs: 50_000,
  /** `hook-catch mcp`: while wait_for_job waits, a progress notification this often (when the client asked for them). */
  mcpProgressEveryMs: 5_000,
  /** `hook-catch mcp`: list_requests without `limit`. */
  mcpListLimit: 20,
} as const;
