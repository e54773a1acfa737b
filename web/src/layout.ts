import { byId } from './dom.js';

/**
 * The page's panes: the jobs panel opens and closes (the toolbar's Jobs button), and the detail is
 * as wide as its edge is dragged (or moved with the arrow keys). Both choices are remembered; until
 * the user chooses, the jobs panel is open from 1200 px wide (the CSS says the same, so the first
 * paint is already right).
 */
const JOBS_KEY = 'hook-catch:jobs-panel';
const DETAIL_KEY = 'hook-catch:detail-width';
const JOBS_OPEN_FROM = '(min-width: 1200px)';
/** The narrowest the list and the detail get (the same as the CSS grid's minimums). */
const LIST_MIN = 300;
const DETAIL_MIN = 340;
/** How far an arrow key moves the edge. */
const STEP = 40;

export function wireLayout(): void {
  wireJobsToggle();
  wireSplitter();
}

function wireJobsToggle(): void {
  const panes = byId('panes');
  const toggle = byId('jobs-toggle');
  const wide = matchMedia(JOBS_OPEN_FROM);
  const chosen = recall(JOBS_KEY);
  if (chosen === 'open' || chosen === 'closed') panes.dataset.jobs = chosen;
  const isOpen = () => (panes.dataset.jobs ? panes.dataset.jobs === 'open' : wide.matches);
  const show = () => toggle.setAttribute('aria-expanded', String(isOpen()));
  toggle.addEventListener('click', () => {
    panes.dataset.jobs = isOpen() ? 'closed' : 'open';
    keep(JOBS_KEY, panes.dataset.jobs);
    show();
  });
  wide.addEventListener('change', show);
  show();
}

function wireSplitter(): void {
  const panes = byId('panes');
  const splitter = byId('splitter');
  const detail = byId('detail');
  const stored = Number(recall(DETAIL_KEY));
  if (stored >= DETAIL_MIN) panes.style.setProperty('--detail-w', `${stored}px`);

  /** Sets the detail's width, within what leaves the list its minimum; `save` remembers it. */
  const resize = (width: number, save: boolean) => {
    const jobs = byId('jobs').getBoundingClientRect().width;
    const most = panes.clientWidth - jobs - splitter.offsetWidth - LIST_MIN;
    const w = Math.round(Math.max(DETAIL_MIN, Math.min(most, width)));
    panes.style.setProperty('--detail-w', `${w}px`);
    splitter.setAttribute('aria-valuenow', String(w));
    if (save) keep(DETAIL_KEY, String(w));
  };

  splitter.addEventListener('pointerdown', (down) => {
    if (down.button !== 0) return;
    down.preventDefault();
    const startX = down.clientX;
    const startWidth = detail.getBoundingClientRect().width;
    splitter.setPointerCapture(down.pointerId);
    splitter.classList.add('dragging');
    const move = (e: PointerEvent) => resize(startWidth + startX - e.clientX, false);
    const up = (e: PointerEvent) => {
      resize(startWidth + startX - e.clientX, true);
      splitter.classList.remove('dragging');
      splitter.removeEventListener('pointermove', move);
      splitter.removeEventListener('pointerup', up);
      splitter.removeEventListener('pointercancel', up);
    };
    splitter.addEventListener('pointermove', move);
    splitter.addEventListener('pointerup', up);
    splitter.addEventListener('pointercancel', up);
  });
  splitter.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    resize(detail.getBoundingClientRect().width + (e.key === 'ArrowLeft' ? STEP : -STEP), true);
  });
  // A double click gives the detail its default width back.
  splitter.addEventListener('dblclick', () => {
    panes.style.removeProperty('--detail-w');
    forget(DETAIL_KEY);
  });
  splitter.setAttribute('aria-valuemin', String(DETAIL_MIN));
  splitter.setAttribute('aria-valuenow', String(Math.round(detail.getBoundingClientRect().width)));
}

/** localStorage, where the browser allows it (a private window may not: then nothing is remembered). */
function recall(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function keep(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage off: the choice holds for this page only
  }
}

function forget(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // storage off: nothing was kept
  }
}
