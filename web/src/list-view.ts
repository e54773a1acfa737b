import { h, fill } from './dom.js';
import { clock, size, STATE_WORDS } from './format.js';
import { forwardBadge } from './forward-badge.js';
import { schemaBadge } from './schema-badge.js';
import { signatureBadge } from './signature-badge.js';
import { eventBadge } from './event-types.js';
import { driftBadge } from './drift-badge.js';
import type { RequestList } from './requests.js';
import type { JobStatus, ListedRequest, OutboundInfo } from './types.js';

export interface ListViewDeps {
  list: RequestList;
  container: HTMLElement;
  /** A job's state now (jobs change after their requests are listed). */
  jobStatus: (jobId: string) => JobStatus | undefined;
  select: (id: string) => void;
  /** Filters the list to a job's deliveries (a click on a row's job). */
  selectJob: (jobId: string) => void;
  /** What to show when there is nothing yet. */
  empty: () => Node;
}

interface Drawn {
  el: HTMLElement;
  request: ListedRequest;
  jobStatus: JobStatus | undefined;
  selected: boolean;
  compared: boolean;
}

/** Rows a frame draws beyond the visible ones, above and below. */
const OVERSCAN = 8;

/**
 * The request list, virtualized: only the rows in view (and a few around) exist in the DOM, so
 * 10,000 stored requests scroll like 10. Rows are absolutely placed on a spacer as tall as all rows.
 */
export class ListView {
  selectedId: string | null = null;
  /** The request a Compare started from, while the other one is being picked. */
  comparedId: string | null = null;
  private readonly spacer: HTMLElement;
  private readonly rowHeight: number;
  /** The row at the top of the view at the last drawing, and where the list was scrolled then. */
  private anchor: { id: string; offset: number; scrollTop: number } | null = null;
  private drawn = new Map<string, Drawn>();
  /** The list's visible height, kept by a ResizeObserver so that drawing never has to ask the layout. */
  private viewport: number;

  constructor(private readonly deps: ListViewDeps) {
    this.spacer = h('div', { class: 'spacer' });
    deps.container.append(this.spacer);
    this.rowHeight = parseFloat(getComputedStyle(deps.container).getPropertyValue('--row-height')) || 30;
    deps.container.addEventListener(
      'scroll',
      () => {
        this.anchor = null; // the user moved: keep what they scrolled to, not what was there before
        this.render();
      },
      { passive: true },
    );
    this.viewport = deps.container.clientHeight;
    new ResizeObserver(() => {
      this.viewport = deps.container.clientHeight;
      this.render();
    }).observe(deps.container);
  }

  /**
   * Draws the rows in view; keeps the row the user is reading in place when newer ones arrive above
   * it. Reads the layout once (the scroll position) before writing, so a frame forces no extra layout.
   */
  render(): void {
    const { list, container } = this.deps;
    const rows = list.rows;
    const more = list.loading ? 'loading' : list.complete ? 'no' : 'yes';
    if (container.dataset.more !== more) container.dataset.more = more;
    const height = `${rows.length * this.rowHeight}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    if (!rows.length) {
      this.drawn.clear();
      this.anchor = null;
      fill(this.spacer, list.loading ? null : this.deps.empty());
      return;
    }
    const scrollTop = this.keepAnchor(rows);
    const first = Math.max(0, Math.floor(scrollTop / this.rowHeight) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((scrollTop + this.viewport) / this.rowHeight) + OVERSCAN);
    this.draw(rows, first, last);
    const top = Math.floor(scrollTop / this.rowHeight);
    this.anchor = scrollTop > 0 && rows[top] ? { id: rows[top].id, offset: scrollTop - top * this.rowHeight, scrollTop } : null;
    if (last > rows.length - 40) void list.loadMore();
  }

  /**
   * Keeps the rows in view in the DOM: a row whose request, job state and selection are unchanged
   * keeps its element (only its place moves), others are drawn again, rows out of view are removed.
   */
  private draw(rows: ListedRequest[], first: number, last: number): void {
    const keep = new Map<string, Drawn>();
    for (let i = first; i < last; i++) {
      const r = rows[i]!;
      const jobStatus = r.job ? (this.deps.jobStatus(r.job.jobId) ?? r.job.jobStatus) : undefined;
      const selected = r.id === this.selectedId;
      const compared = r.id === this.comparedId;
      let drawn = this.drawn.get(r.id);
      if (!drawn || drawn.request !== r || drawn.jobStatus !== jobStatus || drawn.selected !== selected || drawn.compared !== compared) {
        drawn?.el.remove();
        drawn = { el: this.row(r, selected, jobStatus, compared), request: r, jobStatus, selected, compared };
        this.spacer.append(drawn.el);
      }
      drawn.el.style.top = `${i * this.rowHeight}px`;
      keep.set(r.id, drawn);
    }
    for (const [id, drawn] of this.drawn) if (!keep.has(id)) drawn.el.remove();
    for (const child of [...this.spacer.children]) if (!(child as HTMLElement).dataset.id) child.remove();
    this.drawn = keep;
  }

  /** Moves the selection by `delta` rows and brings it into view. */
  move(delta: number): void {
    const rows = this.deps.list.rows;
    if (!rows.length) return;
    const at = this.selectedId ? rows.findIndex((r) => r.id === this.selectedId) : -1;
    const next = Math.min(rows.length - 1, Math.max(0, at === -1 ? 0 : at + delta));
    this.deps.select(rows[next]!.id);
    this.reveal(next);
  }

  private reveal(index: number): void {
    const c = this.deps.container;
    const top = index * this.rowHeight;
    if (top < c.scrollTop) c.scrollTop = top;
    else if (top + this.rowHeight > c.scrollTop + this.viewport) c.scrollTop = top + this.rowHeight - this.viewport;
    this.anchor = null; // moved on purpose
    this.render();
  }

  /** Where the list is scrolled to, after moving it by the rows that arrived above the one being read. */
  private keepAnchor(rows: ListedRequest[]): number {
    const container = this.deps.container;
    const scrollTop = container.scrollTop;
    if (!this.anchor) return scrollTop;
    const { id, offset } = this.anchor;
    // Scrolled since the last drawing (by the user, or by code before its scroll event came): keep that.
    if (scrollTop !== this.anchor.scrollTop) return scrollTop;
    const top = Math.floor(scrollTop / this.rowHeight);
    if (rows[top]?.id === id) return scrollTop;
    const index = rows.findIndex((r) => r.id === id);
    if (index === -1) return scrollTop;
    container.scrollTop = index * this.rowHeight + offset;
    return container.scrollTop; // as the browser clamped it
  }

  private row(r: ListedRequest, selected: boolean, jobStatus: JobStatus | undefined, compared: boolean): HTMLElement {
    return h(
      'div',
      {
        class: `row${selected ? ' selected' : ''}${compared ? ' compared' : ''}${r.status >= 400 || r.unanswered ? ' refused' : ''}`,
        data: { id: r.id },
        attrs: { role: 'option', 'aria-selected': String(selected) },
        on: { click: () => this.deps.select(r.id) },
      },
      h('span', { class: 'c-time', title: r.receivedAt }, clock(r.receivedAt)),
      r.poll
        ? h(
            'span',
            {
              class: 'c-method m-polled',
              title: `polled ${r.poll.url} for job ${r.poll.jobId} (answered in ${Math.round(r.poll.latencyMs)} ms): the provider's status endpoint, not a webhook`,
            },
            'POLLED',
          )
        : r.outbound
          ? h('span', { class: `c-method m-${r.method.toLowerCase()}`, title: callTitle(r.outbound) }, h('span', { class: 'm-call' }, '→'), r.method)
          : h('span', { class: `c-method m-${r.method.toLowerCase()}` }, r.method),
      h('span', { class: 'c-path', title: r.url }, h('span', { class: 'path-text' }, r.url), h('span', { class: 'c-badges' }, ...badges(r))),
      r.unanswered
        ? h(
            'span',
            {
              class: 'c-status unanswered',
              title: `no answer: a response rule ${r.unanswered === 'hung' ? 'held the connection open' : 'closed the connection'} after storing it`,
            },
            r.unanswered,
          )
        : h('span', { class: `c-status s${String(r.status)[0]}` }, r.status),
      h('span', { class: 'c-size' }, r.bodyDiscarded ? `${size(r.bodySize)}!` : size(r.bodySize)),
      h('span', { class: 'c-type', title: r.contentType ?? '' }, shortType(r.contentType)),
      jobCell(r, jobStatus, this.deps.selectJob),
    );
  }
}

function jobCell(r: ListedRequest, status: JobStatus | undefined, selectJob: (jobId: string) => void): HTMLElement {
  if (!r.job || !status) return h('span', { class: 'c-job' });
  const jobId = r.job.jobId;
  return h(
    'span',
    {
      class: 'c-job',
      title: `job ${jobId}: ${STATE_WORDS[status]}; ${r.poll ? 'the provider said' : r.imported ? 'this import said' : 'this delivery said'} ${r.job.statusWord ?? r.job.status} (found in ${r.job.matchedBy}). Click to see only this job's deliveries.`,
      on: {
        click: (e) => {
          e.stopPropagation();
          selectJob(jobId);
        },
      },
    },
    h('span', { class: `dot st-${status}` }),
    r.job.jobId,
  );
}

function shortType(type: string | null): string {
  if (!type) return '';
  return type
    .split(';')[0]!
    .trim()
    .replace(/^application\//, '');
}

function badges(r: ListedRequest): HTMLElement[] {
  const out: HTMLElement[] = [];
  // Its time is when it was first received, elsewhere: the list goes by arrival here, so it may sit above newer times.
  if (r.imported)
    out.push(
      h(
        'span',
        { class: 'badge', title: `imported from a fixture: first received ${r.receivedAt}, stored here later. Shown with its job, not a live delivery.` },
        'imported',
      ),
    );
  const webhook = r.job?.source === 'webhook';
  if (webhook && r.job!.attempt > 1)
    out.push(h('span', { class: 'badge warn', title: `the same body came ${r.job!.attempt} times` }, `retry ${r.job!.attempt}`));
  else if (webhook && r.job!.duplicate) out.push(h('span', { class: 'badge warn' }, 'duplicate'));
  if (webhook && r.job!.refused)
    out.push(
      h(
        'span',
        {
          class: 'badge bad',
          title: `${r.unanswered ? `no answer (${r.unanswered})` : `answered ${r.status}`}: not an acknowledged delivery of job ${r.job!.jobId} (its provider will usually send it again)`,
        },
        'not acknowledged',
      ),
    );
  if (r.invalidJson) out.push(h('span', { class: 'badge bad', title: 'the Content-Type says JSON but the body does not parse' }, 'not valid JSON'));
  if (r.bodyDiscarded) out.push(h('span', { class: 'badge bad', title: 'over --max-body: answered 413, body not kept' }, '413'));
  if (r.refusal) out.push(h('span', { class: 'badge bad', title: r.refusal.reason }, 'refused'));
  if (r.signature) out.push(signatureBadge(r.signature));
  if (r.schema) out.push(schemaBadge(r.schema));
  if (r.forward) out.push(forwardBadge(r.forward));
  if (r.drift?.changes.length) out.push(driftBadge(r.drift));
  // Last: what kind of event it is; the marks that call for attention come first where the cell is narrow.
  if (r.event) out.push(eventBadge(r.event));
  return out;
}

/** A call through the provider port, in the method cell's tooltip. */
function callTitle(call: OutboundInfo): string {
  const job = call.jobId ? ` (${call.role === 'submit' ? 'submitted' : 'status of'} job ${call.jobId})` : '';
  const how = call.error ? `, no answer: ${call.error}` : `, answered in ${Math.round(call.latencyMs)} ms`;
  return `your app's call to ${call.provider}${job}${how}`;
}
