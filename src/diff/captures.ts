import type { CapturedRequest } from '../capture/capture.js';
import type { CaptureDiff, DiffSide } from '../wire/diff.js';
import { diffBodies } from './bodies.js';
import { diffHeaders } from './headers.js';

/** What a diff reads of a capture: a stored one, or a fixture's (then with the file it came from). */
export type Comparable = Pick<CapturedRequest, 'id' | 'method' | 'url' | 'receivedAt' | 'contentType' | 'bodySize' | 'body' | 'bodyDiscarded' | 'headers'> & {
  file?: string;
};

export interface DiffOptions {
  /** Compare the headers too. */
  headers?: boolean;
}

/** What differs from capture `a` to capture `b`: their bodies, and with `headers` their headers. */
export function diffCaptures(a: Comparable, b: Comparable, options: DiffOptions = {}): CaptureDiff {
  const body = diffBodies(a, b);
  const headers = options.headers ? diffHeaders(a.headers, b.headers) : undefined;
  return { a: sideOf(a), b: sideOf(b), equal: body.equal && (headers?.equal ?? true), body, ...(headers && { headers }) };
}

function sideOf(capture: Comparable): DiffSide {
  const { id, file, method, url, receivedAt, contentType, bodySize } = capture;
  return { id, ...(file !== undefined && { file }), method, url, receivedAt, contentType, bodySize };
}
