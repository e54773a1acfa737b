import type { HeaderDiff } from '../wire/diff.js';
import { pairObjects } from './pairs.js';
import { diffValues } from './values.js';

/**
 * Two requests' headers compared as HTTP reads them: a name in any case is the same header, their
 * order does not matter, and a repeated header is the list of its values (in the order they came).
 * Paths name the header in lower case: `headers["content-type"]`, `headers.date`.
 */
export function diffHeaders(a: [string, string][], b: [string, string][]): HeaderDiff {
  const [x, y] = pairObjects(a, b, (name) => name.toLowerCase());
  const { changes, more } = diffValues(x, y, 'headers');
  return { equal: changes.length === 0 && more === 0, changes, more };
}
