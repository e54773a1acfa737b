import { getJson } from './api.js';
import { bodyBytes, hexView, jsonTree, rawView } from './body-views.js';
import { copy } from './clipboard.js';
import { curlCommand } from './curl.js';
import { diffView } from './diff-view.js';
import { fill, h } from './dom.js';
import { fixtureHref, type RedactChoice } from './export.js';
import { dateTime, duration, size, STATE_WORDS } from './format.js';
import { forwardBadge, forwardWords } from './forward-badge.js';
import { answerSection, callRows } from './call-view.js';
import { ReplayPanel } from './replay-view.js';
import { schemaView } from './schema-badge.js';
import { verdictView } from './signature-badge.js';
import { driftView } from './drift-badge.js';
import { eventBadge } from './event-types.js';
import { signatureCheck } from './signature-check.js';
import type { CaptureDiff, ForwardInfo, JobMatch, ReplaySummary, RequestRecord, StreamMessage } from './types.js';

export interface DetailDeps {
  container: HTMLElement;
  /** The receiver's base URL now (for copy as curl). */
  receiverUrl: () => string;
  remove: (id: string) => void;
  selectJob: (jobId: string) => void;
  /** Starts comparing this request with another one, picked next in the list. */
  compare: (id: string) => void;
  /** Opens a request (one side of a diff) as if picked in the list. */
  open: (id: string) => void;
  /** Where a replay goes unless the user typed another target: the instance's --forward URL, or ''. */
  forwardUrl: () => string;
  /** Whether the Fixture download blanks secret headers (the Export menu's choice). */
  redact: RedactChoice;
}

/** The parts of a drawn capture that the stream updates in place. */
interface Live {
  id: string;
  answered: HTMLElement;
  forward: HTMLElement;
  /** The Drift row's value (the row is hidden while there is none). */
  drift: HTMLElement;
  replays: ReplayPanel;
  fixture: HTMLAnchorElement;
  /** The Schema row's value: empty until a verdict is known. */
  schema: HTMLElement;
}

type BodyTab = 'tree' | 'raw' | 'hex';

/** The selected request in full: its meta, headers as received, query, and body as a JSON tree, raw text or hex. */
export class DetailView {
  private current: string | null = null;
  private tab: BodyTab | null = null;
  private abort: AbortController | null = null;
  private live: Live | null = null;
  /** The two requests whose diff is shown (or being fetched), or null. */
  private diffing: [string, string] | null = null;

  constructor(private readonly deps: DetailDeps) {
    this.blank();
    deps.redact.changed(() => {
      if (this.live) this.fixtureLink(this.live.fixture, this.live.id);
    });
  }

  async show(id: string): Promise<void> {
    this.current = id;
    this.diffing = null;
    const record = await this.fetch<RequestRecord>(`/api/requests/${encodeURIComponent(id)}`);
    if (record && this.current === id) this.draw(record);
  }

  /** What differs from request `a` to request `b` (bodies and headers), side by side, in place of a request. */
  async showDiff(a: string, b: string): Promise<void> {
    const shown = this.current;
    this.current = null;
    this.live = null;
    this.diffing = [a, b];
    const diff = await this.fetch<CaptureDiff>(`/api/requests/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}?headers=1`);
    if (!diff || this.diffing?.[0] !== a || this.diffing[1] !== b) return;
    delete this.deps.container.dataset.shown;
    const back = () => (shown ? this.deps.open(shown) : this.blank());
    fill(this.deps.container, diffView(diff, { open: this.deps.open, close: back }));
  }

  /** An API answer for what is to be shown now, or null when something else was asked for meanwhile (or it failed: then said). */
  private async fetch<T>(path: string): Promise<T | null> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const answer = await getJson<T>(path, abort.signal);
      return abort.signal.aborted ? null : answer;
    } catch (error) {
      if (!abort.signal.aborted) fill(this.deps.container, h('p', { class: 'note error' }, (error as Error).message));
      return null;
    }
  }

  /** A capture's background forward ended (`forwarded` stream message). */
  forwarded(id: string, status: number, forward: ForwardInfo): void {
    if (this.live?.id !== id) return;
    fill(this.live.answered, String(status));
    fill(this.live.forward, ...forwardParts(forward, ''));
  }

  /** What was found in a capture's body after it was answered (`analysis` stream message): its schema verdict, its drift. */
  analysed(message: Extract<StreamMessage, { type: 'analysis' }>): void {
    if (this.live?.id !== message.id) return;
    if (message.schema) showRow(this.live.schema, schemaView(message.schema));
    if (message.drift) showRow(this.live.drift, driftView(message.drift));
  }

  /** A capture was replayed (`replay` stream message). */
  replayed(replay: ReplaySummary): void {
    if (this.live?.id === replay.of) this.live.replays.add(replay);
  }

  /** The request shown, or being fetched to be shown (null when none). */
  get shownId(): string | null {
    return this.current;
  }

  /** The request was deleted (here or elsewhere). */
  gone(id: string): void {
    if (this.current === id || this.diffing?.includes(id)) this.blank();
  }

  /** Shows no request: `why`, or how to pick one. */
  blank(why = 'Select a request to see its headers and body. Keys: j / k to move, / to filter.'): void {
    this.current = null;
    this.live = null;
    this.diffing = null;
    this.abort?.abort();
    delete this.deps.container.dataset.shown;
    fill(this.deps.container, h('p', { class: 'placeholder' }, why));
  }

  private draw(r: RequestRecord): void {
    this.deps.container.dataset.shown = r.id;
    const bytes = bodyBytes(r.body, r.bodyEncoding);
    const text = r.bodyEncoding === 'utf8' ? r.body : null;
    const answered = h(
      'span',
      null,
      r.response.unanswered ? `nothing: ${r.response.unanswered}, the connection was closed without an answer` : String(r.response.status),
    );
    const forward = h('span', { class: 'forward' }, ...forwardParts(r.forward, r.refusal || r.bodyDiscarded ? '' : this.deps.forwardUrl()));
    const drift = h('span', { class: 'drift' }, r.drift ? driftView(r.drift) : null);
    const replays = new ReplayPanel(r, this.deps.forwardUrl());
    const fixture = this.fixtureLink(h('a', { class: 'button', data: { action: 'fixture' }, attrs: { download: '' } }, 'Fixture'), r.id);
    const schema = h('span', null, ...(r.schema ? [schemaView(r.schema)] : []));
    this.live = { id: r.id, answered, forward, drift, replays, fixture, schema };

    fill(
      this.deps.container,
      h(
        'div',
        { class: 'detail-head' },
        r.summary.poll
          ? h(
              'div',
              { class: 'request-line', title: "hook-catch asked the provider's status endpoint (expect --poll): below is its answer" },
              h('span', { class: 'c-method m-polled' }, 'POLLED'),
              ' ',
              h('span', { class: 'url' }, r.summary.poll.url),
            )
          : h(
              'div',
              { class: 'request-line' },
              r.summary.outbound ? h('span', { class: 'm-call', title: 'your app called its provider through the provider port' }, '→ ') : null,
              h('span', { class: `c-method m-${r.method.toLowerCase()}` }, r.method),
              ' ',
              h('span', { class: 'url' }, r.url),
            ),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { attrs: { type: 'button' }, data: { action: 'copy-body' }, on: { click: () => copy(text ?? r.body, text === null ? 'body (base64)' : 'body') } },
            'Copy body',
          ),
          h(
            'button',
            { attrs: { type: 'button' }, data: { action: 'copy-curl' }, on: { click: () => copy(this.curl(r, text), 'curl command') } },
            'Copy as curl',
          ),
          h('a', { class: 'button', attrs: { href: `/api/requests/${encodeURIComponent(r.id)}/body`, download: `${r.id}.bin` } }, 'Download'),
          fixture,
          h('button', { class: 'danger', attrs: { type: 'button' }, data: { action: 'delete' }, on: { click: () => this.deps.remove(r.id) } }, 'Delete'),
        ),
      ),
      this.meta(r, bytes.length, answered, forward, schema, drift),
      r.refusal ? h('p', { class: 'note error' }, `Refused (${r.refusal.code}): ${r.refusal.reason}`) : null,
      section(`Headers (${r.headers.length})`, table(['Name', 'Value'], r.headers, 'headers')),
      r.query.length ? section(`Query (${r.query.length})`, table(['Name', 'Value'], r.query, 'query')) : null,
      folded('Check a secret', signatureCheck(r), Boolean(r.signature)),
      section('Replay', replays.el),
      section(
        `Body · ${size(r.bodySize)}${r.contentType ? ` · ${r.contentType}` : ''}`,
        r.bodyDiscarded
          ? h('p', { class: 'note error' }, `Over --max-body: answered 413 and not kept (${size(r.bodySize)} announced or sent).`)
          : this.body(text, bytes),
      ),
      r.summary.outbound
        ? answerSection(
            r,
            (t, b) => this.body(t, b),
            (rows) => table(['Name', 'Value'], rows, 'answer-headers'),
          )
        : null,
    );
  }

  /** The body as a JSON tree (when it parses), raw text or hex, with the tab last chosen. */
  private body(text: string | null, bytes: Uint8Array): HTMLElement {
    const parsed = parseJson(text);
    const tabs: BodyTab[] = parsed.ok ? ['tree', 'raw', 'hex'] : ['raw', 'hex'];
    const tab = this.tab && tabs.includes(this.tab) ? this.tab : text === null ? 'hex' : tabs[0]!;
    const bodyBox = h('div', { class: 'body-view' });
    const tabButtons = tabs.map((t) =>
      h(
        'button',
        { class: `tab${t === tab ? ' active' : ''}`, data: { tab: t }, attrs: { type: 'button', role: 'tab' }, on: { click: () => choose(t) } },
        TAB_NAMES[t],
      ),
    );
    const choose = (t: BodyTab) => {
      this.tab = t;
      for (const b of tabButtons) b.classList.toggle('active', b.dataset.tab === t);
      fill(bodyBox, t === 'tree' ? jsonTree(parsed.value) : t === 'raw' ? rawView(text, bytes) : hexView(bytes));
    };
    choose(tab);
    return h(
      'div',
      null,
      h(
        'div',
        { class: 'tabs', attrs: { role: 'tablist' } },
        ...tabButtons,
        parsed.error ? h('span', { class: 'badge bad', title: parsed.error }, 'not valid JSON') : null,
      ),
      bodyBox,
    );
  }

  private meta(r: RequestRecord, bytes: number, answered: HTMLElement, forward: HTMLElement, schema: HTMLElement, drift: HTMLElement): HTMLElement {
    const job = r.summary.job;
    const poll = r.summary.poll;
    const rows: [string, Node | string][] = poll
      ? [
          ['Polled', h('span', null, `${dateTime(r.receivedAt)} `, iso(r.receivedAt), `, for job ${poll.jobId}`)],
          ['Provider answered', h('span', null, answered, ` in ${duration(poll.latencyMs)}`)],
          ['From', r.remoteAddress ?? 'unknown'],
        ]
      : r.summary.outbound
        ? callRows(r, iso(r.receivedAt))
        : [
            ['Received', h('span', null, `${dateTime(r.receivedAt)} `, iso(r.receivedAt), r.summary.imported ? ', imported from a fixture since' : '')],
            ['Answered', r.response.rule ? h('span', null, answered, ` by ${r.response.rule}`) : answered],
            ['From', r.remoteAddress ?? 'unknown'],
          ];
    // Compare sits beside the id (the actions above keep to one line at 1440 px).
    const compare = h(
      'button',
      {
        class: 'copy',
        attrs: { type: 'button', title: 'Compare with another request: pick it in the list next (Esc cancels)' },
        data: { action: 'compare' },
        on: { click: () => this.deps.compare(r.id) },
      },
      'Compare',
    );
    rows.push(
      ['Id', h('span', null, r.id, ' ', compare)],
      ['Size', `${size(r.bodySize)}${bytes !== r.bodySize ? ` (${bytes} bytes kept)` : ''} · HTTP/${r.httpVersion}`],
    );
    if (forward.childNodes.length) rows.push(['Forwarded', forward]);
    if (r.event) rows.push(['Event', h('span', null, eventBadge(r.event), ` ${r.event.provider ? `${r.event.provider} · ` : ''}from ${r.event.from}`)]);
    if (r.signature) rows.push(['Signature', verdictView(r.signature)]);
    if (job) {
      rows.push([
        'Job',
        h(
          'span',
          null,
          h(
            'a',
            {
              attrs: { href: '#' },
              data: { job: job.jobId },
              on: {
                click: (e) => {
                  e.preventDefault();
                  this.deps.selectJob(job.jobId);
                },
              },
            },
            job.jobId,
          ),
          h(
            'button',
            {
              class: 'copy',
              data: { action: 'copy-job' },
              attrs: { type: 'button', 'aria-label': 'copy the job id' },
              on: { click: () => copy(job.jobId, 'job id') },
            },
            'Copy',
          ),
          ` · ${STATE_WORDS[job.jobStatus]} · ${matchWords(job, Boolean(poll))}${job.expected ? '' : ' · not expected'}`,
        ),
      ]);
    }
    // What is found in the body after the capture is shown (its schema verdict, its drift) has its row from the start, hidden until then.
    const later = [...laterRow('Schema', 'schema-row', schema), ...laterRow('Drift', 'drift-row', drift)];
    const list = h('dl', { class: 'meta' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]), ...later);
    return list;
  }

  /** The Fixture link's target and title, with the redact choice as it is now. */
  private fixtureLink(a: HTMLAnchorElement, id: string): HTMLAnchorElement {
    a.href = fixtureHref(id, this.deps.redact);
    a.title = `This request as a hook-catch/fixture@1 JSON file (for tests, or hook-catch replay --file)${this.deps.redact.redacting ? ', secret headers blanked' : ''}`;
    return a;
  }

  private curl(r: RequestRecord, text: string | null): string {
    return curlCommand({ method: r.method, url: this.deps.receiverUrl() + r.url, headers: r.headers, text, bodySize: r.bodySize });
  }
}

/** The Forwarded row: the app's answer, or that none is kept yet from `forwardUrl` ('': nothing to say). */
function forwardParts(forward: ForwardInfo | undefined, forwardUrl: string): (Node | string)[] {
  if (forward) return [forwardBadge(forward), ' ', forwardWords(forward)];
  return forwardUrl ? [`no answer from ${forwardUrl} kept (yet)`] : [];
}

/** The exact time, kept on one line (it wraps before it, never inside). */
function iso(at: string): HTMLElement {
  return h('span', { class: 'nowrap' }, `(${at})`);
}

const TAB_NAMES: Record<BodyTab, string> = { tree: 'JSON tree', raw: 'Raw', hex: 'Hex' };

function parseJson(text: string | null): { ok: boolean; value?: unknown; error?: string } {
  if (text === null || !/^\s*[[{"\d\-tfn]/.test(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: /^\s*[[{]/.test(text) ? (error as Error).message : undefined };
  }
}

function section(title: string, body: Node): HTMLElement {
  return h('section', { class: 'part' }, h('h3', null, title), body);
}

/** A section that opens on a click: for a part most requests do not need (open when `open`). */
function folded(title: string, body: Node, open: boolean): HTMLElement {
  return h('details', { class: 'part folded', attrs: open ? { open: '' } : {} }, h('summary', null, h('h3', null, title)), body);
}

/** A header or query name longer than this may wrap (shorter ones stay on one line). */
const LONG_NAME = 40;

function table(head: string[], rows: [string, string][], name: string): HTMLElement {
  return h(
    'table',
    { class: `kv ${name}` },
    h('thead', null, h('tr', null, ...head.map((t) => h('th', null, t)))),
    h('tbody', null, ...rows.map(([k, v]) => h('tr', null, h('td', { class: k.length > LONG_NAME ? 'k long' : 'k' }, k), h('td', { class: 'v' }, v)))),
  );
}

/** What the request says of its job, and how it was found: a submit, a status call's answer, a webhook's attempt. */
function matchWords(job: JobMatch, polled: boolean): string {
  if (job.source === 'submit') return `its submit · job id in ${job.matchedBy}`;
  if (job.source === 'poll' && !polled) return `the app's status call · the provider said ${job.statusWord ?? 'no status'}`;
  return `${polled ? 'the provider said' : 'delivery said'} ${job.statusWord ?? job.status} · ${deliveryWords(job)} · found in ${job.matchedBy}`;
}

/** What this request is to its job: `attempt 2 (duplicate)`, `refused: not acknowledged`, `imported, not a live delivery`. */
function deliveryWords(job: JobMatch): string {
  if (job.source === 'import') return 'imported, not a live delivery';
  const attempt = `attempt ${job.attempt}${job.duplicate ? ' (duplicate)' : ''}`;
  return job.refused ? `${attempt} · refused: not acknowledged` : attempt;
}

/** A row of the detail's list for what may be found later: hidden while `content` is empty. */
function laterRow(label: string, cls: string, content: HTMLElement): HTMLElement[] {
  const attrs: Record<string, string> = content.childNodes.length ? {} : { hidden: '' };
  return [h('dt', { class: cls, attrs }, label), h('dd', { class: cls, attrs }, content)];
}

/** Fills a later row's content and shows the row. */
function showRow(content: HTMLElement, view: Node): void {
  fill(content, view);
  const dd = content.parentElement;
  for (const el of [dd, dd?.previousElementSibling]) el?.removeAttribute('hidden');
}
