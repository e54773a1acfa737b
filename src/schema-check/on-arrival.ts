import type { CapturedRequest } from '../capture/capture.js';
import type { AnalysisNote } from '../store/record-line.js';
import type { RequestLog } from '../store/request-log.js';
import { checkCapture } from './check.js';
import type { Spec } from './spec.js';

/**
 * `start --schema`: the route's step that checks a capture once it is stored and answered (its
 * sender never waits for it), puts the verdict on the capture (so the stream and the terminal line
 * carry it), and keeps it in the store as a note line beside it; `onKept` once that is written.
 */
export function checkOnArrival(spec: Spec, store: Pick<RequestLog, 'appendAnalysis'>, onKept: (id: string, note: AnalysisNote) => void) {
  return (request: CapturedRequest): void => {
    const schema = checkCapture(spec, request);
    if (!schema) return;
    request.schema = schema;
    // A store that cannot write loses the verdict, not the capture: `hook-catch check` makes it again.
    store.appendAnalysis(request.id, { schema }).then(
      () => onKept(request.id, { schema }),
      () => undefined,
    );
  };
}
