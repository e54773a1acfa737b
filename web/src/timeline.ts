import { svg } from './dom.js';
import { clock, duration, STATE_WORDS } from './format.js';
import { deliveryAnswer, graceEnd, isRefused } from './jobs.js';
import type { Delivery, Job } from './types.js';

const W = 300;
const H = 46;
/** A polled job's picture is taller: the grace span and the provider's word go under the line. */
const H_POLLED = 60;
const PAD = 12;
const LINE_Y = 26;
/** Markers closer than this are spread apart (a retry a second after its first attempt stays visible). */
const MIN_GAP = 14;
/** States a timeline ends on (a late webhook may still clear a lost one: it is drawn on, then). */
export const FINAL = new Set(['completed', 'failed', 'expired', 'webhook_lost', 'imported']);
/** At most this many deliveries are drawn (the first and the latest): more would not fit apart. */
const MOST_DOTS = 14;

/** Which deliveries a timeline draws: all, or the first and the latest when there are too many. */
function shownDeliveries(count: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  return count <= MOST_DOTS ? all : [0, ...all.slice(count - (MOST_DOTS - 1))];
}

interface Marker {
  t: number;
  /** Names a marker whose place other parts need (`done`: where the provider said the job ended). */
  key?: string;
  draw: (x: number) => SVGElement[];
}

/**
 * A job's life as a picture: registered (square), each webhook (a dot in the color of what it said;
 * hollow for a duplicate, with its attempt number; crossed out when it was refused), each polled
 * answer (a hollow cyan ring; filled where the provider said the job ended, its word under it), the
 * grace the webhook had after that (a span under the line, a red tick where it ran out), and the
 * final state (a diamond). Imports are not part of the job's life here: its words list them.
 */
export function timeline(job: Job, now: number): SVGElement {
  const registered = Date.parse(job.registeredAt ?? job.firstSeenAt);
  // The submit is the registration's square; imports are told in words.
  const deliveries = job.deliveries.filter((d) => d.source !== 'import' && d.source !== 'submit');
  const times = deliveries.map((d) => Date.parse(d.receivedAt));
  const start = Math.min(registered, ...times);
  const final = FINAL.has(job.status) ? job.history.at(-1) : undefined;
  const graceOut = graceEnd(job);
  const lostAt = job.status === 'webhook_lost' && graceOut ? graceOut : final?.at;
  const end = Math.max(lostAt ? Date.parse(lostAt) : now, ...times, start + 1);
  const doneAt = job.poll?.doneAt ? Date.parse(job.poll.doneAt) : null;
  const numbers = webhookNumbers(deliveries);
  // Markers in time order (a webhook can come before its job is registered).
  const markers: Marker[] = [{ t: registered, draw: (x) => [registeredMark(job, x)] }];
  const shown = shownDeliveries(times.length);
  for (const i of shown) {
    const d = deliveries[i]!;
    if (d.source === 'poll') {
      const done = doneAt !== null && times[i] === doneAt;
      markers.push({ t: times[i]!, key: done ? 'done' : undefined, draw: (x) => pollMark(d, x, times[i]! - registered, done) });
    } else markers.push({ t: times[i]!, draw: (x) => deliveryMark(d, numbers.get(d)!, x, times[i]! - registered) });
  }
  if (shown.length < times.length) {
    // The deliveries between the first and the last ones drawn, as a count where they would be.
    const hidden = times.length - shown.length;
    markers.push({
      t: (times[0]! + times[shown[1]!]!) / 2,
      draw: (x: number) => [svg('text', { x, y: LINE_Y + 4, class: 'tl-more' }, `+${hidden}`, svg('title', {}, `${hidden} more deliveries`))],
    });
  }
  if (doneAt !== null && !markers.some((m) => m.key === 'done')) {
    // Its polled answer is no longer kept (or not drawn): the moment is still marked.
    markers.push({ t: doneAt, key: 'done', draw: (x) => [providerDoneMark(job, x)] });
  }
  const wasLost = job.status !== 'webhook_lost' && job.history.some((s) => s.status === 'webhook_lost');
  if (graceOut && wasLost) markers.push({ t: Date.parse(graceOut), key: 'grace', draw: (x) => [graceOutMark(job, x, graceOut)] });
  markers.sort((a, b) => a.t - b.t);
  const x = place([...markers.map((m) => m.t), end], start, end);
  const endX = x.at(-1)!;
  const at = (key: string) => {
    const i = markers.findIndex((m) => m.key === key);
    return i === -1 ? null : x[i]!;
  };
  const polled = Boolean(job.poll);
  const height = polled ? H_POLLED : H;
  const parts: SVGElement[] = [svg('line', { x1: x[0]!, y1: LINE_Y, x2: endX, y2: LINE_Y, class: 'tl-line' })];
  if (!final) parts.push(svg('line', { x1: endX - 18, y1: LINE_Y, x2: endX, y2: LINE_Y, class: 'tl-open' }));
  const doneX = at('done');
  if (doneX !== null && job.poll) parts.push(graceSpan(job, doneX, at('grace') ?? endX, graceOut !== null && Date.parse(graceOut) <= end));
  for (const [i, m] of markers.entries()) parts.push(...m.draw(x[i]!));
  if (final) {
    const words =
      job.status === 'webhook_lost'
        ? `webhook lost ${clock(lostAt!)}: no webhook within ${duration(job.poll?.graceMs ?? 0)} of the provider's done`
        : `${STATE_WORDS[job.status]} ${clock(final.at)}`;
    parts.push(svg('path', { d: `M${endX} ${LINE_Y - 7}l7 7l-7 7l-7 -7z`, class: `tl-final st-${job.status}` }, svg('title', {}, words)));
  }
  parts.push(svg('text', { x: endX, y: height - 2, class: 'tl-span', 'text-anchor': 'end' }, `${final ? '' : 'waiting '}${duration(end - start)}`));
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${height}`, class: `timeline${polled ? ' polled' : ''}`, role: 'img', 'aria-label': `timeline of job ${job.id}` },
    ...parts,
  );
}

/** Webhooks are numbered 1, 2, 3 among themselves (polled answers and imports are not webhooks). */
export function webhookNumbers(deliveries: Delivery[]): Map<Delivery, number> {
  const numbers = new Map<Delivery, number>();
  for (const d of deliveries) if (d.source === 'webhook') numbers.set(d, numbers.size + 1);
  return numbers;
}

function registeredMark(job: Job, x: number): SVGElement {
  const submit = job.deliveries.find((d) => d.source === 'submit');
  const words = submit
    ? `submitted ${clock(submit.receivedAt)}: ${submit.method} ${submit.path} → ${submit.answered}`
    : job.registeredAt
      ? `registered ${clock(job.registeredAt)}`
      : `first seen ${clock(job.firstSeenAt)} (never registered)`;
  const attrs = { x: x - 5, y: LINE_Y - 5, width: 10, height: 10, class: job.registeredAt ? 'tl-registered' : 'tl-unregistered' };
  return svg('rect', submit ? { ...attrs, 'data-request': submit.requestId } : attrs, svg('title', {}, words));
}

function deliveryMark(d: Delivery, n: number, x: number, sinceRegistered: number): SVGElement[] {
  const refused = isRefused(d);
  const marks = [
    svg(
      'circle',
      { cx: x, cy: LINE_Y, r: 5, class: `tl-delivery st-${d.status}${d.duplicate ? ' dup' : ''}${refused ? ' refused' : ''}`, 'data-request': d.requestId },
      svg(
        'title',
        {},
        `delivery ${n}: ${d.statusWord ?? d.status}${d.duplicate ? `, duplicate (attempt ${d.attempt})` : ''}${refused ? `, refused (${deliveryAnswer(d)}): not acknowledged` : ''}${d.rule ? ` (${d.rule})` : ''}, ${since(sinceRegistered)}`,
      ),
    ),
    svg('text', { x, y: LINE_Y - 10, class: 'tl-label' }, d.attempt > 1 ? `×${d.attempt}` : String(n)),
  ];
  // A refused delivery is crossed out, in the dot's own color.
  if (refused) marks.push(svg('path', { d: `M${x - 4} ${LINE_Y - 4}l8 8m0 -8l-8 8`, class: `tl-refused st-${d.status}` }));
  return marks;
}

/** A polled answer: a hollow cyan ring; filled, with the provider's word under it, where it said the job ended. */
function pollMark(d: Delivery, x: number, sinceRegistered: number, done: boolean): SVGElement[] {
  const word = d.statusWord ?? (done ? d.status : 'no status');
  const marks = [
    svg(
      'circle',
      { cx: x, cy: LINE_Y, r: 4, class: `tl-poll${done ? ' done' : ''}`, 'data-request': d.requestId },
      svg('title', {}, `poll: the provider said "${word}"${done ? ' (the job ended)' : ''}, ${since(sinceRegistered)}`),
    ),
  ];
  if (done) marks.push(svg('text', { x, y: LINE_Y + 21, class: 'tl-poll-word' }, shorten(word)));
  return marks;
}

function providerDoneMark(job: Job, x: number): SVGElement {
  const word = job.poll?.provider?.statusWord ?? 'done';
  return svg('circle', { cx: x, cy: LINE_Y, r: 4, class: 'tl-poll done' }, svg('title', {}, `the provider said "${word}" at ${clock(job.poll!.doneAt!)}`));
}

/** Where the grace ran out on a job a late webhook then settled. */
function graceOutMark(job: Job, x: number, at: string): SVGElement {
  return svg(
    'line',
    { x1: x, y1: LINE_Y - 7, x2: x, y2: LINE_Y + 10, class: 'tl-grace-out' },
    svg('title', {}, `grace ran out ${clock(at)}: no webhook within ${duration(job.poll!.graceMs)} of the provider's done (the webhook came later)`),
  );
}

/** The grace the webhook had after the provider said done: a span under the line, red once it ran out. */
function graceSpan(job: Job, fromX: number, toX: number, ranOut: boolean): SVGElement {
  const lost = ranOut && job.history.some((s) => s.status === 'webhook_lost');
  const words = `${duration(job.poll!.graceMs)} of grace for the webhook after the provider's done${lost ? ': it ran out' : ''}`;
  return svg(
    'line',
    { x1: fromX, y1: LINE_Y + 9, x2: Math.max(toX, fromX + 2), y2: LINE_Y + 9, class: `tl-grace${lost ? ' lost' : ''}` },
    svg('title', {}, words),
  );
}

function shorten(word: string): string {
  return word.length > 12 ? `${word.slice(0, 11)}…` : word;
}

export function since(ms: number): string {
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
