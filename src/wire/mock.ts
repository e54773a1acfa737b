// What a running `hook-catch mock` reports to the instance on its --dir (`/api/mock/events`), for
// the page's Mock panel. Kept in memory only: they are the mock's calls, not captures.

/** One attempt of a webhook the mock sent, and how the app answered it. */
export interface MockAttempt {
  attempt: number;
  /** ISO time it was sent. */
  at: string;
  /** The app's status, or null when it did not answer (then `failure` and `error` say why). */
  status: number | null;
  failure?: string;
  error?: string;
  latencyMs: number;
}

/** A recorded request near an unmatched one, and why it did not match. */
export interface MockClosest {
  scenario: string;
  /** `GET /ai/status/v1/jobs/{id}`: `{id}` stands for the job id. */
  request: string;
  why: string;
}

/** One thing the mock did, as `hook-catch mock --json` prints it, with the time it happened (`at`, ISO). */
export type MockEventReport = { at: string } & (
  | { type: 'submit'; scenario: string; method: string; url: string; recordedId: string; id: string; webhookUrl: string | null }
  | { type: 'poll'; scenario: string; id: string; method: string; url: string; status: number; statusWord: string | null }
  | { type: 'webhook'; scenario: string; id: string; send: number; duplicate: boolean; attempt: MockAttempt; willRetry: boolean }
  | { type: 'no-webhook-url'; scenario: string; id: string; webhooks: number }
  | { type: 'unmatched'; method: string; url: string; closest: MockClosest[] }
  | { type: 'job-done'; scenario: string; id: string; acknowledged: boolean }
);

/** A reported event as the instance keeps it: `seq` counts them from 1 since it started (the page shows each once). */
export type KeptMockEvent = MockEventReport & { seq: number };

/** What `POST /api/mock/events` takes: a batch of events, oldest first. */
export interface MockEventBatch {
  events: MockEventReport[];
}

/** What `POST /api/mock/events` answers: how many were kept. */
export interface MockEventsTaken {
  taken: number;
}

/** `GET /api/mock/events`: the last events kept (up to 500), oldest first. */
export interface MockEventList {
  items: KeptMockEvent[];
}
