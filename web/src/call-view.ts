import { bodyBytes } from './body-views.js';
import { h } from './dom.js';
import { dateTime, duration, size } from './format.js';
import type { RequestRecord } from './types.js';

// The detail of a call the app made to its provider through the provider port (`--provider`): the
// capture is the app's request; these say what the call was and show the provider's answer below it.

type Row = [string, Node | string];
/** Draws a body as the detail draws the request's (JSON tree, raw or hex). */
export type BodyDrawer = (text: string | null, bytes: Uint8Array) => HTMLElement;

const ROLE_WORDS = { submit: 'submit', poll: 'status call', call: 'call' } as const;

/** When, what the provider answered and how fast, what the call was (role, job), the webhook URL given, from where. */
export function callRows(r: RequestRecord, when: HTMLElement): Row[] {
  const call = r.outbound!;
  const job = call.jobId ? ` of job ${call.jobId}${call.idAt ? ` (job id in ${call.idAt})` : ''}` : ' (no job named)';
  const rows: Row[] = [
    ['Called', h('span', null, `${dateTime(r.receivedAt)} `, when)],
    ['Provider answered', r.answer ? `${r.answer.status} ${r.answer.statusText} in ${duration(call.latencyMs)}` : noAnswer(r)],
    ['Call', `${ROLE_WORDS[call.role]}${job} · to ${call.provider}`],
  ];
  if (call.webhookUrl) {
    const given = call.rewrittenTo ? `, given to the provider as ${call.rewrittenTo}` : '';
    rows.push(['Webhook URL', `${call.webhookUrl} (${call.webhookUrlAt ?? 'in the request'})${given}`]);
  }
  rows.push(['From', r.remoteAddress ?? 'unknown']);
  return rows;
}

function noAnswer(r: RequestRecord): HTMLElement {
  const why = `no answer after ${duration(r.outbound!.latencyMs)}: ${r.outbound!.error ?? 'unknown'} · the app got ${r.response.status} from hook-catch`;
  return h('span', { class: 'bad' }, why);
}

/** The provider's answer: its status, headers and body; or why there was none. */
export function answerSection(r: RequestRecord, drawBody: BodyDrawer, table: (rows: [string, string][]) => HTMLElement): HTMLElement {
  const answer = r.answer;
  const title = answer ? `Provider's answer · ${answer.status} ${answer.statusText} · ${size(answer.bodySize)}` : "Provider's answer";
  const parts: (Node | null)[] = answer
    ? [
        table(answer.headers),
        answer.truncated ? h('p', { class: 'note' }, `Only the first ${size(bodyBytes(answer.body, answer.bodyEncoding).length)} kept.`) : null,
        answer.bodySize ? drawBody(answer.bodyEncoding === 'utf8' ? answer.body : null, bodyBytes(answer.body, answer.bodyEncoding)) : null,
      ]
    : [h('p', { class: 'note error' }, noAnswer(r))];
  return h('section', { class: 'part answer', data: { part: 'answer' } }, h('h3', null, title), ...parts);
}
