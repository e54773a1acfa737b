import { bodyBytes } from './body-views.js';
import { h } from './dom.js';
import { clock, duration, size } from './format.js';
import type { ReplayRecord, ReplaySummary } from './types.js';

/** How much of a target's answer body the page shows. */
const SHOWN_BYTES = 2048;

/** What a replay's target answered: status (colored), latency and the start of the body; or why it did not answer. */
export function resultView(record: ReplayRecord): HTMLElement {
  const r = record.result;
  const sent = h('span', { class: 'muted' }, ` · ${record.sent.method} ${record.to}`, record.resigned ? ` · re-signed (${record.resigned})` : '');
  const warning = record.warning ? h('p', { class: 'note warn', data: { warning: '' } }, record.warning) : null;
  if (!r.ok) {
    return h(
      'div',
      { class: 'replay-result failed', data: { status: 'failed', replay: record.id } },
      h('div', { class: 'result-line' }, h('span', { class: 'c-status s5' }, 'no answer'), ` · ${duration(r.latencyMs)}`, sent),
      warning,
      h('p', { class: 'note error' }, r.error),
      notKept(record),
    );
  }
  return h(
    'div',
    { class: 'replay-result', data: { status: String(r.status), replay: record.id } },
    h(
      'div',
      { class: 'result-line' },
      h('span', { class: `c-status s${String(r.status)[0]}` }, `${r.status} ${r.statusText}`),
      ` · ${duration(r.latencyMs)} · ${size(r.bodySize)}`,
      sent,
    ),
    warning,
    answerBody(r.body, r.bodyEncoding, r.bodySize),
    notKept(record),
  );
}

/** A replay that went out but could not be kept (a full disk): it is not in the list, and says why. */
function notKept(record: ReplayRecord): HTMLElement | null {
  return record.notKept === undefined ? null : h('p', { class: 'note error', data: { notKept: 'true' } }, `Sent, but not recorded: ${record.notKept}.`);
}

function answerBody(body: string, encoding: 'utf8' | 'base64', total: number): HTMLElement | null {
  if (!total) return null;
  if (encoding === 'base64') return h('p', { class: 'note' }, `A binary answer of ${size(total)}.`);
  const bytes = bodyBytes(body, encoding);
  const cut = bytes.length > SHOWN_BYTES || total > bytes.length;
  const text = bytes.length > SHOWN_BYTES ? new TextDecoder().decode(bytes.subarray(0, SHOWN_BYTES)) : body;
  return h(
    'div',
    null,
    h('pre', { class: 'raw answer' }, text),
    cut ? h('p', { class: 'note' }, `The first ${size(Math.min(SHOWN_BYTES, bytes.length))} of ${size(total)}.`) : null,
  );
}

/** One line of a capture's replays: when, method, where, edited or not, and what came back. */
export function replayLine(s: ReplaySummary): HTMLElement {
  const outcome =
    s.status === null
      ? h('span', { class: 'c-status s5', title: s.error ?? '' }, `failed: ${s.error ?? 'no answer'}`)
      : h('span', { class: `c-status s${String(s.status)[0]}` }, String(s.status));
  return h(
    'li',
    { data: { replay: s.id, edited: String(s.edited), ...(s.resigned && { resigned: s.resigned }) } },
    h('span', { class: 'c-time', title: s.at }, clock(s.at)),
    h('span', { class: `c-method m-${s.method.toLowerCase()}` }, s.method),
    h('span', { class: 'replay-to', title: s.to }, s.to),
    s.edited ? h('span', { class: 'badge warn', title: 'the method, path, headers or body were changed before sending' }, 'edited') : null,
    s.resigned
      ? h(
          'span',
          { class: 'badge resigned', title: `signed again (${s.resigned}) with this hook-catch's --verify secret, timestamped when sent` },
          `re-signed (${s.resigned})`,
        )
      : null,
    outcome,
    h('span', { class: 'muted' }, duration(s.latencyMs)),
  );
}
