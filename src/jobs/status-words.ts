import type { PayloadStatus } from './types.js';

// Provider status words, compared without case or punctuation (InProgress, in_progress, "in progress").
const WORDS: Record<string, PayloadStatus> = {};
const add = (status: PayloadStatus, words: string) => {
  for (const w of words.split(' ')) WORDS[w] = status;
};
add('completed', 'completed complete done succeeded success successful finished ok ready processed delivered fulfilled');
add('failed', 'failed failure fail error errored canceled cancelled aborted rejected timedout timeout declined');
add('in_progress', 'inprogress progress running processing queued pending started accepted submitted working created scheduled waiting');

/**
 * What a status value means: `Completed` -> completed, `InProgress` -> in_progress, `job.failed` ->
 * failed (the last word that means something wins). Null when it says nothing we know.
 */
export function statusOfWord(value: string): PayloadStatus | null {
  const whole = WORDS[value.toLowerCase().replace(/[^a-z]/g, '')];
  if (whole) return whole;
  const parts = value
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const status = WORDS[parts[i]!];
    if (status) return status;
  }
  return null;
}

/** Keys whose value is a job's status. */
export function isStatusKey(normalizedKey: string): boolean {
  return STATUS_KEYS.has(normalizedKey);
}

const STATUS_KEYS = new Set(['status', 'state', 'jobstatus', 'taskstatus', 'phase', 'event', 'eventtype', 'outcome', 'result']);
