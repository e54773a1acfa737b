import type { CapturedRequest } from '../capture/capture.js';
import type { RequestLog } from '../store/request-log.js';
import type { MatchOf } from './summaries.js';
import type { EventTyper } from '../event-types/event-type.js';

/** What the fixture and import routes need of a running hook-catch. */
export interface FixtureDeps {
  log: RequestLog;
  matchOf: MatchOf;
  /** The receiver's id generator (imported captures take their place among received ones). */
  nextId: () => string;
  /** After fixtures were stored as captures: announce each like a received one. */
  onImported: (request: CapturedRequest) => void;
  /** The receiver's --max-body: an imported body may be no larger. */
  maxBody: number;
  /** The base URL HAR entries are made absolute with (the public webhook URL's origin, or the receiver's). */
  baseUrl: () => string;
  /** Tells an imported capture's event type as the receiver does (--event-path included). */
  eventOf?: EventTyper;
}
