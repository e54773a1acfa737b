import { HookCatchError } from './errors.js';
import type { HookCatchEvents } from './events.js';
import { exportRequests, type ExportOptions } from './fixtures/export.js';
import type { JobMatch } from './jobs/types.js';
import type { CapturedRequest } from './capture/capture.js';
import { replayCapture } from './replay/replay.js';
import { parseTarget, type OwnAddresses } from './send/target.js';
import type { Edits, ReplayRecord } from './capture/records.js';
import type { RequestLog, RequestQuery } from './store/request-log.js';
import type { ResignRule } from './signatures/resign.js';
import type { VerifyRule } from './capture/signature.js';
import { rulesFor } from './signatures/verifier.js';
import { checkVerify } from './signatures/verify-rules.js';

/** What a test suite needs of a running hook-catch, beyond its URLs: see `start()`. */
export interface TestKit {
  /** Stored requests in full (headers and body bytes), newest first, filtered as `GET /api/requests` filters. */
  requests(query?: RequestQuery): Promise<CapturedRequest[]>;
  /**
   * Resolves with the next capture that passes `predicate` (any capture without one). With `since`
   * (a request id), a matching capture stored after that one counts too, so a webhook that came
   * before the call is not missed. Rejects after `timeoutMs` (default 30 s).
   */
  nextRequest(predicate?: (request: CapturedRequest) => boolean, options?: NextRequestOptions): Promise<CapturedRequest>;
  /**
   * Sends a stored capture again to `url`, byte-exact (or edited), and keeps the record with it.
   * `resign`: sign it again, timestamped now (`true`: with the `verify` secret covering its path).
   */
  replay(id: string, url: string, options?: { edits?: Edits; timeoutMs?: number; resign?: true | ResignRule }): Promise<ReplayRecord>;
  /** Writes stored requests (ids, short ids or `last`) into `dir` as fixture files (or one HAR file); resolves with the paths. */
  export(ids: string[], dir: string, options?: Omit<ExportOptions, 'matchOf'>): Promise<string[]>;
}

export interface NextRequestOptions {
  /** Default 30,000 ms. */
  timeoutMs?: number;
  /** Also look at what was stored after this request id. */
  since?: string;
}

export interface TestKitDeps {
  store: RequestLog;
  events: HookCatchEvents;
  matchOf: (id: string) => JobMatch | null;
  own: () => OwnAddresses;
  /** The `verify` rules in force (the secrets `resign: true` signs with). */
  verifyRules: VerifyRule[];
}

const NEXT_TIMEOUT_MS = 30_000;

export function createTestKit(deps: TestKitDeps): TestKit {
  const { store, events } = deps;
  return {
    async requests(query = {}) {
      const page = await store.list(query);
      return (await store.getMany(page.items.map((summary) => summary.id))).reverse();
    },

    nextRequest(predicate = () => true, options = {}) {
      const timeoutMs = options.timeoutMs ?? NEXT_TIMEOUT_MS;
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          events.off('request', onRequest);
        };
        const onRequest = (request: CapturedRequest) => {
          if (!predicate(request)) return;
          done();
          resolve(request);
        };
        const timer = setTimeout(() => {
          done();
          reject(new HookCatchError(`No matching request came within ${timeoutMs} ms.`));
        }, timeoutMs);
        events.on('request', onRequest);
        if (options.since !== undefined) void lookBack(options.since, predicate, onRequest);
      });
    },

    async replay(id, url, options = {}) {
      const request = await store.get(id);
      if (!request) throw new HookCatchError(`No stored request with id ${id}.`);
      let resign = options.resign === true ? rulesFor(deps.verifyRules, request.url)[0] : options.resign;
      if (options.resign === true && !resign) throw new HookCatchError(`No verify rule covers ${request.path}: give resign: { scheme, secret }.`);
      if (resign && options.resign !== true) resign = checkVerify(resign);
      return replayCapture(store, request, { to: parseTarget(url, 'url'), edits: options.edits, timeoutMs: options.timeoutMs, own: deps.own(), resign });
    },

    async export(ids, dir, options = {}) {
      const requests: CapturedRequest[] = [];
      for (const ref of ids) {
        const request = await store.get(ref);
        if (!request) throw new HookCatchError(`No stored request with id ${ref}.`);
        requests.push(request);
      }
      return exportRequests(requests, dir, { ...options, matchOf: deps.matchOf });
    },
  };

  /** Hands `found` the first stored request after `since` that passes (the list is read synchronously from the index). */
  async function lookBack(since: string, predicate: (request: CapturedRequest) => boolean, found: (request: CapturedRequest) => void) {
    const id = store.resolveId(since);
    const summaries = id ? (store.summariesAfter(id, Number.MAX_SAFE_INTEGER) ?? []) : [];
    for (const summary of summaries) {
      const request = await store.get(summary.id);
      if (request && predicate(request)) return found(request);
    }
  }
}
