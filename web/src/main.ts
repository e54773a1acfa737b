import { getJson, sendJson } from './api.js';
import { copy, toast } from './clipboard.js';
import { DetailView } from './detail-view.js';
import { EventSelect } from './event-types.js';
import { byId, h } from './dom.js';
import { ExportMenu, RedactChoice } from './export.js';
import { HeaderView } from './header-view.js';
import { JobsModel } from './jobs.js';
import { JobsView } from './jobs-view.js';
import { wireLayout } from './layout.js';
import { ListView } from './list-view.js';
import { MockView } from './mock-view.js';
import { FIRST_ID, RequestList } from './requests.js';
import { Pacer } from './pacing.js';
import { RulesView } from './rules-view.js';
import { TypesView } from './types-view.js';
import { openStream } from './stream.js';
import { wireKeys, wireToolbar } from './controls.js';
import type { ListedRequest, Status, StreamMessage } from './types.js';

/**
 * The inspector page. Stream messages and model changes are collected and drawn once per
 * animation frame, so a burst of a thousand webhooks costs a few frames, not a thousand layouts.
 */
const header = new HeaderView(byId('top'));
const list = new RequestList(schedule);
const jobs = new JobsModel(() => {
  jobsDirty = true;
  schedule();
});
let jobsDirty = true;
let selectedJob: string | null = null;
const inbox: StreamMessage[] = [];
/** How many times the stream connected (its first message is always a status). */
let connects = 0;

const listView = new ListView({
  list,
  container: byId('list'),
  jobStatus: (id) => jobs.status(id),
  select: selectRequest,
  selectJob,
  empty: emptyList,
});
const redact = new RedactChoice();
const exportMenu = new ExportMenu({ filters: () => list.filters, redact });
const detail = new DetailView({
  container: byId('detail'),
  redact,
  receiverUrl: () => header.status?.receiverUrl ?? '',
  remove: deleteRequest,
  selectJob,
  compare: startCompare,
  open: openRequest,
  forwardUrl: () => header.status?.forward?.url ?? '',
});
new TypesView({ container: byId('types'), toggle: byId('types-toggle') });
const rules = new RulesView({ container: byId('rules'), toggle: byId('rules-toggle') });
const mockView = new MockView({ container: byId('mock'), toggle: byId('mock-toggle') });
const eventSelect = new EventSelect(byId<HTMLSelectElement>('event'));
const jobsView = new JobsView({ model: jobs, container: byId('jobs'), selected: () => selectedJob, select: selectJob, open: openRequest, diff: showDiff });
/** The request a Compare started from, while the user picks the other one in the list; null otherwise. */
let comparing: string | null = null;

let frameQueued = false;
let firstRowsMarked = false;
let jobsTimer: number | undefined;
const pace = new Pacer();

function schedule(): void {
  if (frameQueued) return;
  frameQueued = true;
  const wait = pace.delay();
  // A hidden tab gets no animation frames: still keep up, less often.
  if (document.hidden) setTimeout(frame, 500);
  else if (wait > 0) setTimeout(() => requestAnimationFrame(frame), wait);
  else requestAnimationFrame(frame);
}

function frame(): void {
  frameQueued = false;
  pace.drew();
  if (inbox.length) apply(inbox.splice(0));
  listView.render();
  letGoIfHidden();
  if (jobsDirty) drawJobs();
  drawCounts();
  mockView.render();
  exportMenu.draw();
  if (!firstRowsMarked && list.rows.length) {
    firstRowsMarked = true;
    performance.mark('hook-catch:first-rows');
  }
}

/** The jobs panel, at most a few times a second (a later frame draws what changed meanwhile). */
function drawJobs(): void {
  const wait = pace.jobsWait();
  if (wait > 0) {
    if (jobsTimer === undefined) jobsTimer = window.setTimeout(() => ((jobsTimer = undefined), schedule()), wait);
    return;
  }
  jobsDirty = false;
  pace.drewJobs();
  jobsView.render();
}

/** Applies one frame's stream messages in order; consecutive requests go in as one batch. */
function apply(messages: StreamMessage[]): void {
  let batch: ListedRequest[] = [];
  const flush = () => {
    if (batch.length) list.arrived(batch);
    if (batch.length) eventSelect.saw(batch);
    for (const r of batch) jobs.delivered(r);
    batch = [];
  };
  for (const m of messages) {
    if (m.type === 'request') {
      batch.push(m.request);
      continue;
    }
    flush();
    if (m.type === 'status') {
      // A reconnect: the resync brings what was stored while away, but not what was deleted
      // meanwhile, so the list is loaded again too (the resync's rows merge into it, once each).
      const reconnected = connects++ > 0;
      header.setStatus(m);
      list.setStored(m.requests.stored, m.requests.newestId);
      if (reconnected) {
        void list.reload();
        void jobs.load().catch(() => undefined); // jobs registered or settled while away
        void rules.load().catch(() => undefined);
        void mockView.load().catch(() => undefined); // a restarted hook-catch kept none
      }
    } else if (m.type === 'deleted') {
      if (comparing === m.id) endCompare();
      if (listView.selectedId === m.id) listView.move(1);
      list.removed(m.id);
      detail.gone(m.id);
    } else if (m.type === 'cleared') {
      endCompare();
      list.cleared();
      listView.selectedId = null;
      detail.blank();
    } else if (m.type === 'reset') {
      void list.reload();
    } else if (m.type === 'tunnel') {
      header.setTunnel(m.status, m.publicUrl);
    } else if (m.type === 'forwarded') {
      list.forwarded(m.id, m.status, m.forward);
      detail.forwarded(m.id, m.status, m.forward);
    } else if (m.type === 'analysis') {
      list.analysed(m);
      detail.analysed(m);
    } else if (m.type === 'forwardQueue') {
      header.setForwardQueue(m.waiting, m.sending);
    } else if (m.type === 'replay') {
      detail.replayed(m.replay);
    } else if (m.type === 'rules') {
      rules.set(m.rules);
    } else if (m.type === 'mock') {
      mockView.add([m.event]);
    } else if (m.type === 'job') {
      const changed = jobs.apply(m);
      if (changed) list.matched(changed.requestId, changed.match);
    }
  }
  flush();
}

function drawCounts(): void {
  const shown = list.rows.length;
  const more = list.complete ? '' : '+';
  const held = list.held.length ? ` · ${list.held.length} new while paused` : '';
  setText(byId('count'), list.hasFilters ? `${shown.toLocaleString()}${more} matching${held}` : `${list.total.toLocaleString()} stored${held}`);
  setText(byId('pause'), list.paused ? `Resume${list.held.length ? ` (${list.held.length})` : ''}` : 'Pause');
  byId('pause').setAttribute('aria-pressed', String(list.paused));
  if (header.status) header.setStored(list.total);
  byId('job-chip').hidden = !selectedJob;
  if (selectedJob) {
    setText(byId('job-chip-id'), selectedJob);
    byId('job-chip').title = `the list shows job ${selectedJob}'s requests only`;
  }
  setText(byId('jobs-toggle'), jobs.jobs.size ? `Jobs (${jobs.jobs.size.toLocaleString()})` : 'Jobs');
}

/**
 * The detail lets go of a request the filters now leave out of the list (rather than show one the
 * list does not): it says so, and the keys start again from the top of what is listed.
 */
function letGoIfHidden(): void {
  const shown = detail.shownId;
  if (shown === null || !list.hides(shown)) return;
  listView.selectedId = null;
  detail.blank('The request shown here is hidden by the filter: change or clear the filter to see it again.');
}

/** Sets an element's text only when it changed (each frame calls this; the same text costs no layout). */
function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A row was picked (clicked, or moved to with the keys): shown, or while comparing, diffed with the first. */
function selectRequest(id: string): void {
  if (comparing !== null) {
    const from = comparing;
    if (id === from) {
      toast('Pick another request to compare with this one (Esc cancels).');
      return;
    }
    listView.selectedId = id;
    showDiff(from, id);
    return;
  }
  listView.selectedId = id;
  void detail.show(id);
  schedule();
}

/** Shows a request in the detail, whatever was going on (a request of a diff, a timeline entry). */
function openRequest(id: string): void {
  endCompare();
  selectRequest(id);
}

/** Compare: the next row picked is diffed with `id`. */
function startCompare(id: string): void {
  comparing = id;
  listView.comparedId = id;
  byId('compare-from').textContent = id.slice(-6);
  byId('compare-bar').hidden = false;
  byId('list').focus();
  schedule();
}

function endCompare(): void {
  if (comparing === null) return;
  comparing = null;
  listView.comparedId = null;
  byId('compare-bar').hidden = true;
  schedule();
}

/** What differs from request `a` to request `b`, in the detail. */
function showDiff(a: string, b: string): void {
  endCompare();
  void detail.showDiff(a, b);
  schedule();
}

function selectJob(jobId: string | null): void {
  selectedJob = jobId;
  list.filters = { ...list.filters, job: jobId ?? '' };
  jobsDirty = true;
  void list.reload();
  schedule();
}

async function deleteRequest(id: string): Promise<void> {
  try {
    await sendJson('DELETE', `/api/requests/${encodeURIComponent(id)}`);
  } catch (error) {
    toast((error as Error).message, 'error');
  }
}

function emptyList(): Node {
  if (list.hasFilters) return h('p', { class: 'placeholder' }, 'Nothing matches these filters.');
  const url = header.status?.webhookUrl ?? `${location.protocol}//127.0.0.1:8080/webhook`;
  const command = `curl -X POST ${url} -H 'Content-Type: application/json' -d '{"jobId":"job-1","status":"completed"}'`;
  return h(
    'div',
    { class: 'empty' },
    h('p', null, 'No webhooks yet. Point your provider at the webhook URL above, or send one now:'),
    h('pre', null, command),
    h('button', { attrs: { type: 'button' }, on: { click: () => copy(command, 'curl command') } }, 'Copy'),
  );
}

async function boot(): Promise<void> {
  wireLayout();
  wireToolbar({ list, selectedJob: () => selectedJob, selectJob });
  wireKeys({ move: (delta) => listView.move(delta), cancel: endCompare });
  byId('compare-cancel').addEventListener('click', endCompare);
  header.render();
  const status = getJson<Status>('/api/status').then((s) => header.setStatus(s));
  void eventSelect.load();
  await Promise.all([list.reload(), status]).catch((error) => toast(`Cannot reach hook-catch: ${(error as Error).message}`, 'error'));
  openStream({
    messages: (frameMessages) => {
      let requests = 0;
      for (const m of frameMessages) if (m.type === 'request') requests++;
      pace.saw(requests);
      inbox.push(...frameMessages);
      schedule();
    },
    state: (state, why) => header.setStream(state, why),
    lastId: () => list.newestSeen ?? FIRST_ID,
  });
  void jobs.load().catch((error) => toast(`Cannot load jobs: ${(error as Error).message}`, 'error'));
  void rules.load().catch((error) => toast(`Cannot load the response rules: ${(error as Error).message}`, 'error'));
  void mockView
    .load()
    .then(schedule)
    .catch((error) => toast(`Cannot load the mock's calls: ${(error as Error).message}`, 'error'));
  // Pending jobs count down; the stored count drifts when retention drops the oldest.
  setInterval(() => {
    if ([...jobs.jobs.values()].some((j) => j.status === 'pending' || j.status === 'in_progress')) {
      jobsDirty = true;
      schedule();
    }
  }, 1000);
  setInterval(() => {
    void getJson<Status>('/api/status')
      .then((s) => {
        header.setStatus(s);
        list.setStored(s.requests.stored, s.requests.newestId);
      })
      .catch(() => undefined);
  }, 15_000);
}

void boot();
