import type { TextLine } from '../wire/diff.js';

// Two texts compared line by line: the lines each has that the other lacks, with a little context.
// Short on purpose: a diff says where two bodies part, it is not a merge tool.

/** Unchanged lines shown around a change. */
const CONTEXT = 2;
/** Lines of diff listed at most (the rest are counted). */
export const MOST_LINES = 200;
/**
 * Above this many line pairs between the common start and end, the middle is not searched for the
 * lines both share (its cost grows with the product: 1,000 by 1,000 lines took 50 ms here): it is shown as removed, then added.
 */
const MOST_PAIRS = 1_000_000;

export interface LineDiff {
  lines: TextLine[];
  /** Lines of diff beyond MOST_LINES. */
  more: number;
}

/** The lines that differ between `a` and `b`, each with its numbers, with CONTEXT lines around. */
export function diffLines(a: string, b: string): LineDiff {
  const x = a.split('\n');
  const y = b.split('\n');
  // Both end with a line break: not one more (empty) line on each side. Only one does: that is a difference.
  if (x.at(-1) === '' && y.at(-1) === '') {
    x.pop();
    y.pop();
  }
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  const middle = script(x.slice(start, x.length - end), y.slice(start, y.length - end));
  const all: TextLine[] = [];
  for (let i = 0; i < start; i++) all.push({ a: i + 1, b: i + 1, text: x[i]! });
  for (const line of middle) all.push({ a: line.a === null ? null : line.a + start + 1, b: line.b === null ? null : line.b + start + 1, text: line.text });
  for (let i = end; i > 0; i--) all.push({ a: x.length - i + 1, b: y.length - i + 1, text: x[x.length - i]! });
  return near(all);
}

/** Only the lines that changed and CONTEXT lines either side of each, at most MOST_LINES. */
function near(all: TextLine[]): LineDiff {
  const changed = all.map((line) => line.a === null || line.b === null);
  const keep = (i: number) => {
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(all.length - 1, i + CONTEXT); j++) if (changed[j]) return true;
    return false;
  };
  const kept = all.filter((_, i) => keep(i));
  return { lines: kept.slice(0, MOST_LINES), more: Math.max(0, kept.length - MOST_LINES) };
}

/**
 * The shortest edit from `x` to `y` (a longest common subsequence, by dynamic programming), as lines
 * numbered from 0 within `x` and `y`; past MOST_PAIRS, all of `x` removed then all of `y` added.
 */
function script(x: string[], y: string[]): TextLine[] {
  const n = x.length;
  const m = y.length;
  if (n * m > MOST_PAIRS) return [...x.map((text, i) => ({ a: i, b: null, text })), ...y.map((text, j) => ({ a: null, b: j, text }))];
  // common[i * (m + 1) + j]: the longest common subsequence of x[i..] and y[j..].
  const common = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const at = i * (m + 1) + j;
      common[at] = x[i] === y[j] ? common[at + m + 2]! + 1 : Math.max(common[at + m + 1]!, common[at + 1]!);
    }
  }
  const out: TextLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) out.push({ a: i, b: j++, text: x[i++]! });
    // Where either way keeps as much in common, the removed line goes first (as diff -u shows them).
    else if (i < n && (j === m || common[(i + 1) * (m + 1) + j]! >= common[i * (m + 1) + j + 1]!)) out.push({ a: i, b: null, text: x[i++]! });
    else out.push({ a: null, b: j, text: y[j++]! });
  }
  return out;
}
