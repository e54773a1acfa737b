import type { JobMatch } from '../jobs/types.js';
import type { RequestSummary } from '../capture/capture.js';
import type { ListedRequest } from '../wire/requests.js';

/** The job a stored request was matched to, looked up by request id (null when none). */
export type MatchOf = (requestId: string) => JobMatch | null;

/** A request as lists and the stream show it: its summary with its job match, so no second call is needed. */
export function listed(summary: RequestSummary, matchOf: MatchOf): ListedRequest {
  return { ...summary, job: matchOf(summary.id) };
}
