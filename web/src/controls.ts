import { sendJson } from './api.js';
import { toast } from './clipboard.js';
import { byId } from './dom.js';
import type { RequestList } from './requests.js';

export interface ToolbarDeps {
  list: RequestList;
  selectedJob: () => string | null;
  selectJob: (jobId: string | null) => void;
}

/** The list's toolbar: the filters (applied 200 ms after the last keystroke), the job chip, pause and clear all. */
export function wireToolbar({ list, selectedJob, selectJob }: ToolbarDeps): void {
  const q = byId<HTMLInputElement>('q');
  const method = byId<HTMLSelectElement>('method');
  const path = byId<HTMLInputElement>('path');
  const event = byId<HTMLSelectElement>('event');
  let timer: number | undefined;
  const changed = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      list.filters = { q: q.value.trim(), method: method.value, path: path.value.trim(), job: selectedJob() ?? '', event: event.value };
      void list.reload();
    }, 200);
  };
  byId('filters').addEventListener('submit', (e) => e.preventDefault());
  q.addEventListener('input', changed);
  path.addEventListener('input', changed);
  method.addEventListener('change', changed);
  event.addEventListener('change', changed);
  byId('job-chip-clear').addEventListener('click', () => selectJob(null));
  byId('pause').addEventListener('click', () => list.pause(!list.paused));
  byId('clear').addEventListener('click', async () => {
    if (!confirm(`Delete all ${list.total.toLocaleString()} stored requests? This cannot be undone.`)) return;
    try {
      await sendJson('DELETE', '/api/requests');
    } catch (error) {
      toast((error as Error).message, 'error');
    }
  });
}

/** Keys: j / k or the arrows move through the list, / focuses the filter, Esc leaves a field (elsewhere it calls `cancel`: a Compare ends). */
export function wireKeys({ move, cancel }: { move: (delta: number) => void; cancel: () => void }): void {
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (target.matches('input, textarea, select')) {
      if (e.key === 'Escape') target.blur();
      return;
    }
    if (e.metaKey || e.ctrlKey || e.altKey || target.closest('dialog')) return;
    if (e.key === '/') {
      e.preventDefault();
      byId('q').focus();
    } else if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      move(1);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(-1);
    } else if (e.key === 'Escape') {
      cancel();
    }
  });
}
