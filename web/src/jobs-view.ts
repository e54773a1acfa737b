import { fill, h } from './dom.js';
import { duration, STATE_WORDS } from './format.js';
import { answeredWords, arrivedAt, deliveryCounts, type JobsModel } from './jobs.js';
import { pollLine } from './poll-line.js';
import { registerForm } from './register-form.js';
import { timeline } from './timeline.js';
import { timelineWords } from './timeline-words.js';
import type { Job } from './types.js';

export interface JobsViewDeps {
  model: JobsModel;
  container: HTMLElement;
  /** The selected job (its deliveries filter the list), or null. */
  selected: () => string | null;
  select: (jobId: string | null) => void;
  /** Opens a stored request in the detail (a timeline entry was clicked). */
  open: (requestId: string) => void;
  /** Shows what differs from request `a` to request `b` (a delivery's "diff with previous"). */
  diff: (a: string, b: string) => void;
}

interface DrawnCard {
  el: HTMLElement;
  version: number;
  selected: boolean;
  /** The second its clock showed (0 for a settled job, whose card has no clock). */
  second: number;
}

/** Cards drawn per section: the rest are counted, and found with the list's job filter. */
const SECTION_LIMIT = 30;

/** A lost webhook comes first, then refused ones: they are the ones that need a look. */
const SECTIONS: { key: string; title: string; holds: (job: Job) => boolean }[] = [
  { key: 'webhook_lost', title: 'Webhook lost', holds: (j) => j.status === 'webhook_lost' },
  { key: 'refused', title: 'Refused', holds: (j) => j.status === 'refused' },
  { key: 'pending', title: 'Pending', holds: (j) => j.source !== 'webhook' && j.status === 'pending' },
  { key: 'in_progress', title: 'In progress', holds: (j) => j.source !== 'webhook' && j.status === 'in_progress' },
  { key: 'completed', title: 'Completed', holds: (j) => j.source !== 'webhook' && j.status === 'completed' },
  { key: 'failed', title: 'Failed', holds: (j) => j.source !== 'webhook' && j.status === 'failed' },
  { key: 'expired', title: 'Expired', holds: (j) => j.source !== 'webhook' && j.status === 'expired' },
  { key: 'unexpected', title: 'Not expected', holds: (j) => j.source === 'webhook' && j.status !== 'refused' && j.status !== 'imported' },
  { key: 'imported', title: 'Imported', holds: (j) => j.status === 'imported' },
];

/** The jobs panel: a form to register one, then every job by state, each with its timeline. */
export class JobsView {
  private readonly form: HTMLFormElement;
  private readonly sections: HTMLElement;
  private cards = new Map<string, DrawnCard>();

  constructor(private readonly deps: JobsViewDeps) {
    this.form = registerForm();
    this.sections = h('div', { class: 'job-sections' });
    fill(deps.container, h('h2', null, 'Jobs'), this.form, this.sections);
  }

  render(now = Date.now()): void {
    const jobs = [...this.deps.model.jobs.values()].sort((a, b) => {
      const x = lastActivity(a);
      const y = lastActivity(b);
      return x < y ? 1 : x > y ? -1 : 0;
    });
    if (!jobs.length) {
      fill(
        this.sections,
        h(
          'p',
          { class: 'placeholder' },
          'No jobs yet. Register the id your API gave you above (or run `hook-catch expect <jobId>`); webhooks that name a job id show up here too.',
        ),
      );
      return;
    }
    const selected = this.deps.selected();
    const drawn: HTMLElement[] = [];
    const kept = new Map<string, DrawnCard>();
    for (const section of SECTIONS) {
      const members = jobs.filter(section.holds);
      if (!members.length) continue;
      const cards = members.slice(0, SECTION_LIMIT).map((job) => this.cached(job, job.id === selected, now, kept));
      const more =
        members.length > SECTION_LIMIT
          ? h('p', { class: 'note' }, `and ${members.length - SECTION_LIMIT} more: click a job id in the list to follow one`)
          : null;
      drawn.push(
        h(
          'section',
          { class: `job-section js-${section.key}`, data: { section: section.key } },
          h('h3', null, `${section.title} `, h('span', { class: 'count' }, members.length)),
          ...cards,
          more,
        ),
      );
    }
    this.sections.replaceChildren(...drawn);
    this.cards = kept;
  }

  /**
   * A job's card, drawn again only when the job changed, was (un)selected, or shows a clock
   * (waiting, expires in) that moved: with thousands of jobs and hundreds of webhooks a second,
   * a frame redraws the few jobs that changed, not the panel.
   */
  private cached(job: Job, selected: boolean, now: number, kept: Map<string, DrawnCard>): HTMLElement {
    const version = this.deps.model.versions.get(job.id) ?? 0;
    const ticking = job.status === 'pending' || job.status === 'in_progress';
    const second = ticking ? Math.floor(now / 1000) : 0;
    let card = this.cards.get(job.id);
    if (!card || card.version !== version || card.selected !== selected || card.second !== second) {
      card = { el: this.card(job, selected, now), version, selected, second };
    }
    kept.set(job.id, card);
    return card.el;
  }

  /** A delivery's diff button diffs it, a timeline entry (or marker) opens its request; anywhere else on the card (un)selects the job. */
  private pressed(target: EventTarget | null, jobId: string, selected: boolean): void {
    const diff = target instanceof Element ? target.closest<HTMLElement>('[data-diff-from]') : null;
    if (diff) {
      this.deps.diff(diff.dataset.diffFrom!, diff.dataset.diffTo!);
      return;
    }
    const request = target instanceof Element ? target.closest('[data-request]')?.getAttribute('data-request') : null;
    if (request) this.deps.open(request);
    else this.deps.select(selected ? null : jobId);
  }

  private card(job: Job, selected: boolean, now: number): HTMLElement {
    return h(
      'article',
      {
        class: `job${selected ? ' selected' : ''}`,
        data: { job: job.id, status: job.status },
        attrs: { tabindex: '0', 'aria-pressed': String(selected) },
        on: {
          click: (e) => this.pressed(e.target, job.id, selected),
          keydown: (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              this.pressed(e.target, job.id, selected);
            }
          },
        },
      },
      h(
        'div',
        { class: 'job-head' },
        h('span', { class: 'job-id', title: job.id }, job.id),
        h('span', { class: `pill st-${job.status}` }, STATE_WORDS[job.status]),
      ),
      job.label ? h('div', { class: 'job-label', title: job.label }, job.label) : null,
      h('div', { class: 'job-info' }, info(job, now)),
      pollLine(job, now),
      timeline(job, now),
      selected ? timelineWords(job) : null,
    );
  }
}

function info(job: Job, now: number): string {
  const start = Date.parse(job.registeredAt ?? job.firstSeenAt);
  // Polled answers are told by the poll line, imports apart: here, the webhooks.
  const counts = deliveryCounts(job);
  const first = job.deliveries.find((d) => d.source === 'webhook');
  const parts: string[] = [];
  if (job.status === 'pending') {
    parts.push(`waiting ${duration(now - start)}`, `expires in ${duration(Math.max(0, Date.parse(job.expiresAt) - now))}`);
  } else if (!counts.deliveries) {
    const last = job.history.at(-1);
    if (job.status !== 'imported')
      parts.push(last && last.status !== 'pending' ? `no webhook in ${duration(Math.max(0, Date.parse(last.at) - start))}` : 'no webhook');
  } else {
    parts.push(counts.deliveries === 1 ? '1 delivery' : `${counts.deliveries} deliveries`);
    if (counts.refused) parts.push(refusedWords(counts));
    if (first && job.registeredAt) {
      const after = Date.parse(first.receivedAt) - start;
      parts.push(after >= 0 ? `first webhook ${duration(after)} after registration` : `first webhook came ${duration(-after)} before registration`);
    }
    if (!job.registeredAt) parts.push('never registered');
  }
  if (counts.imported) parts.push(counts.imported === 1 ? '1 imported, not a live delivery' : `${counts.imported} imported, not live deliveries`);
  return parts.join(' · ');
}

/** `not acknowledged: every delivery was refused (500)`, `2 refused (500)`. */
function refusedWords(counts: { deliveries: number; refused: number; refusedWith: number[] }): string {
  const answered = answeredWords(counts.refusedWith);
  if (counts.refused === counts.deliveries) return `not acknowledged: ${counts.deliveries === 1 ? 'it was' : 'every delivery was'} refused (${answered})`;
  return `${counts.refused} refused (${answered})`;
}

/** When something last came into this store for the job (an import's own time is older than its arrival). */
function lastActivity(job: Job): string {
  const last = job.deliveries.at(-1);
  return (last && arrivedAt(last)) ?? job.history.at(-1)?.at ?? job.firstSeenAt;
}
