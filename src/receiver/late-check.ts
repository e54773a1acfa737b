import { LARGE_BODY_BYTES } from '../capture/body-view.js';
import type { CaptureMarks, CapturedRequest } from '../capture/capture.js';
import type { EventType } from '../capture/shapes.js';
import { isInvalidJson } from './json-check.js';

// A large body (over LARGE_BODY_BYTES) is stored as it came and its sender answered before anything
// looks into it: whether it is valid JSON and what event it is are told right after the answer
// (judgeLate), before the jobs, the page and the terminal hear of the capture, and kept in a note
// beside its line. Parsing 1 MB of JSON takes milliseconds, which the sender need not wait for; a
// smaller body is judged before it is stored, its marks in its own line.

/** What is told of a large body after its sender was answered. */
export type LateMarks = Pick<CaptureMarks, 'invalidJson' | 'event'>;

/** True when `request`'s body is judged after the answer rather than before it is stored. */
export function judgedLater(request: Pick<CapturedRequest, 'body' | 'bodyDiscarded'>): boolean {
  return !request.bodyDiscarded && request.body.length > LARGE_BODY_BYTES;
}

/**
 * Judges a large body as the receiver judges a small one before storing it: its "not valid JSON"
 * mark, then its event type (which may read the body just parsed). The marks are put on the request
 * and returned, to be kept; null when there are none.
 */
export function judgeLate(request: CapturedRequest, eventOf?: (request: CapturedRequest) => EventType | null): LateMarks | null {
  const marks: LateMarks = {};
  if (isInvalidJson(request)) marks.invalidJson = request.invalidJson = true;
  const event = eventOf?.(request);
  if (event) marks.event = request.event = event;
  return marks.invalidJson || marks.event ? marks : null;
}
