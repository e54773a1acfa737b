import { decodeBody } from '../capture/encoded-body.js';
import { REDACTED, type ScenarioAnswer } from '../scenario/format.js';
import { isHopByHop } from '../send/outgoing.js';
import { replaceBytes, replaceText } from './ids.js';
import type { Closest } from './router.js';

/** What the provider double answers: a status, header pairs, the body bytes. */
export interface Answer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/**
 * A recorded answer for a played job: its status, headers (order and case kept) and body bytes,
 * the recorded job id replaced by the fresh one wherever it appears (a Location too). Framing and
 * hop-by-hop headers are left out (node counts Content-Length for the bytes sent), and a redacted
 * value is never sent.
 */
export function recordedAnswer(answer: ScenarioAnswer, recordedId: string, freshId: string): Answer {
  const body = replaceBytes(decodeBody(answer), recordedId, freshId);
  const headers: [string, string][] = [];
  for (const [name, value] of answer.headers) {
    if (isHopByHop(name) || name.toLowerCase() === 'content-length' || value === REDACTED) continue;
    headers.push([name, replaceText(value, recordedId, freshId)]);
  }
  return { status: answer.status, headers, body };
}

/** The 501 for a request that matches nothing recorded: what it was, and the closest recorded requests with why each did not match. */
export function unmatchedAnswer(method: string, url: string, closest: Closest[]): Answer {
  const error = `hook-catch mock: no recorded request matches ${method} ${url}; the closest recorded requests say why.`;
  const body = Buffer.from(`${JSON.stringify({ error, closest }, null, 2)}\n`);
  return { status: 501, headers: [['Content-Type', 'application/json']], body };
}
