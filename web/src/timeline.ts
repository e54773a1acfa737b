import { h, svg } from './dom.js';
import { clock, duration, STATE_WORDS } from './format.js';
import type { Job } from './types.js';

const W = 300;
const H = 46;
const PAD = 12;
const LINE_Y = 26;
/** Markers closer than this are spread apart (a retry a second after its first attempt stays visible). */
const MIN_GAP = 14;
const FINAL = new Set(['completed', 'failed', 'expired']);
/** At most this many deliveries are drawn (the first and the latest): more would not fit apart. */
const MOST_DOTS = 14;

/** Which deliveries a timeline draws: all, or the first and the latest when there are too many. */
function shownDeliveries(count: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  return count <= MOST_DOTS ? all : [0, ...all.slice(count - (MOST_DOTS - 1))];
}

/**
 * A job's life as a picture: registered (square), each delivery (a dot in the color of what it
 * said; hollow for a duplicate, with its attempt number), and the final state (a diamond).
 */
export function timeline(job: Job, now: number): SVGElement {
  const registered = Date.parse(job.registeredAt ?? job.firstSeenAt);
  const times = job.deliveries.map((d) => Date.parse(d.receivedAt));
  const start = Math.min(registered, ...times);
  const final = FINAL.has(job.status) ? job.history.at(-1) : undefined;
  const end = Math.max(final ? Date.parse(final.at) : now, ...times, start + 1);
  // Markers in time order (a webhook can come before its job is registered).
  const markers: { t: number; draw: (x: number) => SVGElement[] }[] = [{ t: registered, draw: (x: number) => [registeredMark(job, x)] }];
  const shown = shownDeliveries(times.length);
  for (const i of shown) markers.push({ t: times[i]!, draw: (x: number) => deliveryMark(job, i, x, times[i]! - registered) });
  if (shown.length < times.length) {
    // The deliveries between the first and the last ones drawn, as a count where they would be.
    const hidden = times.length - shown.length;
    markers.push({ t: (times[0]! + times[shown[1]!]!) / 2, draw: (x: number) => [svg('text', { x, y: LINE_Y + 4, class: 'tl-more' }, `+${hidden}`, svg('title', {}, `${hidden} more deliveries`))] });
  }
  markers.sort((a, b) => a.t - b.t);
  const x = place([...markers.map((m) => m.t), end], start, end);
  const endX = x.at(-1)!;
  const parts: SVGElement[] = [svg('line', { x1: x[0]!, y1: LINE_Y, x2: endX, y2: LINE_Y, class: 'tl-line' })];
  if (!final) parts.push(svg('line', { x1: endX - 18, y1: LINE_Y, x2: endX, y2: LINE_Y, class: 'tl-open' }));
  markers.forEach((m, i) => parts.push(...m.draw(x[i]!)));
  if (final) {
    parts.push(svg('path', { d: `M${endX} ${LINE_Y - 7}l7 7l-7 7l-7 -7z`, class: `tl-final st-${job.status}` }, svg('title', {}, `${STATE_WORDS[job.status]} ${clock(final.at)}`)));
  }
  parts.push(svg('text', { x: endX, y: H - 2, class: 'tl-span', 'text-anchor': 'end' }, `${final ? '' : 'waiting '}${duration(end - start)}`));
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', role: 'img', 'aria-label': `timeline of job ${job.id}` }, ...parts);
}

function registeredMark(job: Job, x: number): SVGElement {
  const words = job.registeredAt ? `registered ${clock(job.registeredAt)}` : `first seen ${clock(job.firstSeenAt)} (never registered)`;
  return svg('rect', { x: x - 5, y: LINE_Y - 5, width: 10, height: 10, class: job.registeredAt ? 'tl-registered' : 'tl-unregistered' }, svg('title', {}, words));
}

function deliveryMark(job: Job, i: number, x: number, sinceRegistered: number): SVGElement[] {
  const d = job.deliveries[i]!;
  const when = sinceRegistered >= 0 ? `+${duration(sinceRegistered)}` : `${duration(-sinceRegistered)} before registration`;
  return [
    svg('circle', { cx: x, cy: LINE_Y, r: 5, class: `tl-delivery st-${d.status}${d.duplicate ? ' dup' : ''}`, 'data-request': d.requestId },
      svg('title', {}, `delivery ${i + 1}: ${d.statusWord ?? d.status}${d.duplicate ? `, duplicate (attempt ${d.attempt})` : ''}, ${when}`)),
    svg('text', { x, y: LINE_Y - 10, class: 'tl-label' }, d.attempt > 1 ? `×${d.attempt}` : String(i + 1)),
  ];
}

/** The same life in words, for the selected job. */
export function timelineWords(job: Job): HTMLElement {
  const start = Date.parse(job.registeredAt ?? job.firstSeenAt);
  const items = [h('li', null, job.registeredAt ? `registered at ${clock(job.registeredAt)}` : `first seen at ${clock(job.firstSeenAt)}, never registered`)];
  job.deliveries.forEach((d, i) => {
    items.push(
      h('li', { class: 'tl-event', data: { request: d.requestId } },
        `delivery ${i + 1}: ${d.statusWord ?? d.status} (${STATE_WORDS[d.status]})`,
        d.duplicate ? ` · duplicate, attempt ${d.attempt}` : '',
        ` · ${since(Date.parse(d.receivedAt) - start)} · found in ${d.matchedBy}`),
    );
  });
  const last = job.history.at(-1);
  if (last && FINAL.has(job.status)) items.push(h('li', null, `${STATE_WORDS[job.status]} at ${clock(last.at)}`));
  return h('ol', { class: 'tl-words' }, ...items);
}

function since(ms: number): string {
  return ms >= 0 ? `+${duration(ms)}` : `${duration(-ms)} before registration`;
}

/** x positions in time order, at least MIN_GAP apart, within the picture. */
function place(times: number[], start: number, end: number): number[] {
  const span = Math.max(end - start, 1);
  const width = W - 2 * PAD;
  const xs: number[] = [];
  for (const t of times) {
    const x = PAD + ((t - start) / span) * width;
    xs.push(xs.length ? Math.max(x, xs.at(-1)! + MIN_GAP) : x);
  }
  // Spread pushed markers back inside the picture if they ran past its end.
  const overflow = xs.at(-1)! - (W - PAD);
  if (overflow > 0) for (let i = xs.length - 1, limit = W - PAD; i >= 0; i--, limit -= MIN_GAP) xs[i] = Math.min(xs[i]!, limit);
  return xs;
}
