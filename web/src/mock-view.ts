import { getJson } from './api.js';
import { fill, h } from './dom.js';
import { clock } from './format.js';
import type { KeptMockEvent, MockEventList } from './types.js';

export interface MockViewDeps {
  /** The panel (hidden until the toggle opens it). */
  container: HTMLElement;
  /** The toolbar button that opens it: hidden until a mock has reported something. */
  toggle: HTMLElement;
}

/** The most events shown (the instance keeps as many). */
const KEPT = 500;

/**
 * What a running `hook-catch mock` on this folder did: one row per event, newest first (a submit
 * and its fresh job id, a poll, a webhook and the app's answer, a request that matched nothing and
 * why). The toolbar button shows only once there is something to show.
 */
export class MockView {
  private events: KeptMockEvent[] = [];
  private readonly seen = new Set<number>();
  private readonly list = h('ol', { class: 'mock-events', attrs: { 'aria-label': 'mock events, newest first' } });
  private dirty = true;

  constructor(private readonly deps: MockViewDeps) {
    deps.toggle.addEventListener('click', () => this.open(deps.container.hidden));
    fill(
      deps.container,
      h('h3', null, 'Mock'),
      h('p', { class: 'note' }, 'The calls a running hook-catch mock on this folder answered, and how your app answered its webhooks.'),
      this.list,
    );
  }

  /** The events kept by the instance (at load, and after a reconnect: a restarted instance kept none). */
  async load(): Promise<void> {
    const page = await getJson<MockEventList>('/api/mock/events');
    this.events = [];
    this.seen.clear();
    this.add(page.items);
  }

  /** Events from the stream or the API; one seen already (the stream and the load cross) is skipped. */
  add(events: KeptMockEvent[]): void {
    for (const event of events) {
      if (this.seen.has(event.seq)) continue;
      this.seen.add(event.seq);
      this.events.push(event);
    }
    if (this.events.length > KEPT) for (const gone of this.events.splice(0, this.events.length - KEPT)) this.seen.delete(gone.seq);
    this.dirty = true;
  }

  /** Draws what changed (called once a frame); the rows only while the panel is open. */
  render(): void {
    if (!this.dirty) return;
    const n = this.events.length;
    const label = `Mock (${n})`;
    this.deps.toggle.hidden = n === 0;
    // While the panel is closed this runs each frame with events coming: the same text costs no layout.
    if (this.deps.toggle.textContent !== label) fill(this.deps.toggle, label);
    if (this.deps.container.hidden) return;
    this.dirty = false;
    fill(this.list, ...this.events.toReversed().map(eventRow));
  }

  private open(open: boolean): void {
    this.deps.container.hidden = !open;
    this.deps.toggle.setAttribute('aria-expanded', String(open));
    this.dirty = true;
    this.render();
  }
}

const KIND_WORDS: Record<KeptMockEvent['type'], string> = {
  submit: 'submit',
  poll: 'poll',
  webhook: 'webhook',
  'no-webhook-url': 'no URL',
  unmatched: '501',
  'job-done': 'done',
};

/** One event: time, kind, the request, the job (fresh id, and the recorded one), what came of it. */
function eventRow(event: KeptMockEvent): HTMLElement {
  const [request, job, outcome] = cells(event);
  return h(
    'li',
    { class: `mock-event ${event.type}`, data: { kind: event.type, seq: String(event.seq) } },
    h('span', { class: 'm-time' }, clock(event.at)),
    h('span', { class: 'm-kind' }, KIND_WORDS[event.type]),
    h('code', { class: 'm-request' }, request),
    h('span', { class: 'm-job' }, job),
    h('span', { class: 'm-outcome' }, outcome),
  );
}

const tone = (status: number | null) => (status === null || status >= 500 ? 'bad' : status >= 300 ? 'warn' : 'ok');
const jobCell = (id: string, recorded?: string) =>
  h('span', null, 'job ', h('code', null, id), recorded ? h('span', { class: 'm-was' }, `recorded ${recorded}`) : null);

function cells(event: KeptMockEvent): [string, Node | string, Node | string] {
  switch (event.type) {
    case 'submit':
      return [
        `${event.method} ${event.url}`,
        jobCell(event.id, event.recordedId),
        event.webhookUrl ? `webhooks to ${event.webhookUrl}` : 'no webhook URL named',
      ];
    case 'poll':
      return [
        `${event.method} ${event.url}`,
        jobCell(event.id),
        h('span', { class: tone(event.status) }, `${event.status}${event.statusWord ? ` ${event.statusWord}` : ''}`),
      ];
    case 'webhook':
      return [`webhook ${event.send}${event.duplicate ? ' (duplicate)' : ''}`, jobCell(event.id), webhookAnswer(event)];
    case 'no-webhook-url':
      return [
        '',
        jobCell(event.id),
        h('span', { class: 'warn' }, `${event.webhooks} webhook${event.webhooks === 1 ? '' : 's'} not sent: the submit named no webhook URL`),
      ];
    case 'unmatched':
      return [`${event.method} ${event.url}`, '', unmatchedReason(event.closest)];
    case 'job-done':
      return [
        '',
        jobCell(event.id),
        h('span', { class: event.acknowledged ? 'ok' : 'bad' }, event.acknowledged ? 'every webhook acknowledged' : 'a webhook was never acknowledged'),
      ];
  }
}

function webhookAnswer(event: Extract<KeptMockEvent, { type: 'webhook' }>): Node {
  const { attempt } = event;
  const answer = attempt.status === null ? `no answer (${attempt.failure ?? 'failed'})` : `app answered ${attempt.status}`;
  return h(
    'span',
    null,
    h('span', { class: tone(attempt.status) }, answer),
    ` · attempt ${attempt.attempt}`,
    event.willRetry ? h('span', { class: 'warn' }, ' · will retry') : '',
    attempt.error ? h('span', { class: 'm-recorded' }, ` · ${attempt.error}`) : '',
  );
}

function unmatchedReason(closest: Extract<KeptMockEvent, { type: 'unmatched' }>['closest']): Node {
  const head = h('span', { class: 'bad' }, 'matches nothing recorded');
  if (!closest.length) return head;
  return h('span', null, head, ...closest.map((c) => h('span', { class: 'm-closest' }, 'closest: ', h('code', null, c.request), ` (${c.scenario}): ${c.why}`)));
}
