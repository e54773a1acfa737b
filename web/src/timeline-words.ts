import { h } from './dom.js';
import { clock, duration, STATE_WORDS } from './format.js';
import { arrivedAt, deliveryAnswer, graceEnd, isRefused } from './jobs.js';
import { FINAL, since, webhookNumbers } from './timeline.js';
import type { Delivery, Job } from './types.js';

// The selected job's life in words, as the conversation it was: the submit (or the registration),
// each status call with what the provider said, each webhook with its attempt and its answer, then
// the end; each at its offset from the submit. An entry with a stored request opens it when clicked.

/** Paths longer than this are cut in a line (a status call's path holds the job id, already on the card). */
const PATH_WIDTH = 48;

interface Item {
  t: number;
  el: HTMLElement;
}

export function timelineWords(job: Job): HTMLElement {
  const start = Date.parse(job.submit?.at ?? job.registeredAt ?? job.firstSeenAt);
  const numbers = webhookNumbers(job.deliveries);
  const items: Item[] = job.submit
    ? []
    : [
        {
          t: -Infinity,
          el: h('li', null, job.registeredAt ? `registered at ${clock(job.registeredAt)}` : `first seen at ${clock(job.firstSeenAt)}, never registered`),
        },
      ];
  for (const d of job.deliveries) items.push({ t: Date.parse(arrivedAt(d)), el: entry(job, d, numbers, Date.parse(d.receivedAt) - start) });
  const graceOut = graceEnd(job);
  if (graceOut && job.history.some((s) => s.status === 'webhook_lost')) {
    items.push({
      t: Date.parse(graceOut),
      el: h('li', { class: 'tl-lost' }, `no webhook by ${clock(graceOut)}, ${duration(job.poll!.graceMs)} after the provider's done: webhook lost`),
    });
  }
  const last = job.history.at(-1);
  if (last && FINAL.has(job.status) && job.status !== 'webhook_lost')
    items.push({ t: Infinity, el: h('li', null, `${STATE_WORDS[job.status]} at ${clock(last.at)} · ${since(Date.parse(last.at) - start)}`) });
  items.sort((a, b) => a.t - b.t);
  return h('ol', { class: 'tl-words' }, ...items.map((i) => i.el));
}

/** One delivery's line: a submit, a status call (the app's, or `expect --poll`'s), a webhook, or an import. */
function entry(job: Job, d: Delivery, numbers: Map<Delivery, number>, offset: number): HTMLElement {
  const item = (kind: string, ...parts: (string | HTMLElement)[]) =>
    h('li', { class: `tl-event ${kind}`.trim(), data: { request: d.requestId }, attrs: { tabindex: '0', title: 'open this request' } }, ...parts);
  if (d.source === 'import') return item('import', `imported: ${d.statusWord ?? d.status}, first received ${clock(d.receivedAt)} · not a live delivery`);
  if (d.source === 'submit') return item('submit', 'submitted: ', sent(d), ` · ${since(offset)} · job id in ${d.matchedBy}`, webhookGiven(job));
  if (d.source === 'poll' && d.matchedBy === 'provider port') return item('poll', 'polled: ', sent(d), ` ${d.statusWord ?? 'no status'} · ${since(offset)}`);
  if (d.source === 'poll') {
    const ended = d.receivedAt === job.poll?.doneAt ? ', the job ended' : '';
    return item('poll', `poll: the provider said "${d.statusWord ?? 'no status'}"${ended} · ${since(offset)}`);
  }
  const refused = isRefused(d) ? `${deliveryAnswer(d)}, refused: not acknowledged` : deliveryAnswer(d);
  return item(
    d.unanswered ? `unanswered ${d.unanswered}` : '',
    `delivery ${numbers.get(d)}: ${d.statusWord ?? d.status} (${STATE_WORDS[d.status]})`,
    d.duplicate ? ` · duplicate, attempt ${d.attempt}, identical body` : '',
    ` · ${d.method} ${cut(d.path)} · ${refused} · ${since(offset)} · found in ${d.matchedBy}`,
    // Which response rule decided its answer, and why: a throttle's 429 and its Retry-After, a hang.
    d.rule ? h('span', { class: 'tl-rule' }, ` · ${d.rule}`) : '',
    ...diffButton(job, d),
  );
}

/**
 * `diff with previous` on each webhook after the first: with the delivery before it, or for a
 * duplicate with the earlier one of the same body (so its diff says what the retry changed: headers).
 */
function diffButton(job: Job, d: Delivery): (HTMLElement | string)[] {
  const webhooks = job.deliveries.filter((w) => w.source === 'webhook');
  const before = webhooks.slice(0, webhooks.indexOf(d));
  const previous = d.duplicate ? before.findLast((w) => w.bodyHash === d.bodyHash) : before.at(-1);
  if (!previous) return [];
  const what = d.duplicate ? 'the same body sent before: what the retry changed in its headers' : 'the delivery before it';
  return [
    ' ',
    h(
      'button',
      { class: 'diff-prev', attrs: { type: 'button', title: `compare with ${what}` }, data: { diffFrom: previous.requestId, diffTo: d.requestId } },
      'diff with previous',
    ),
  ];
}

/** `POST /ai/v1/transcribe → 200`: what the app sent, and the provider's status. */
function sent(d: Delivery): HTMLElement {
  return h('span', { class: 'tl-call' }, `${d.method} ${cut(d.path)} → `, h('span', { class: d.answered < 300 ? 'ok' : 'bad' }, String(d.answered)));
}

/** ` · webhook URL http://localhost:3000/hooks, given to the provider as https://….ngrok.app/hooks` */
function webhookGiven(job: Job): string {
  const submit = job.submit;
  if (!submit?.webhookUrl) return ' · no webhook URL in it';
  return ` · webhook URL ${submit.webhookUrl}${submit.rewrittenTo ? `, given to the provider as ${submit.rewrittenTo}` : ''}`;
}

function cut(path: string): string {
  return path.length > PATH_WIDTH ? `${path.slice(0, PATH_WIDTH - 1)}…` : path;
}
