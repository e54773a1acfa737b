import { jsonTree, type JsonPath } from './body-views.js';
import { h } from './dom.js';

/**
 * A JSON document edited leaf by leaf: the tree of body-views.ts with an input per leaf. A string
 * leaf's input holds the text itself; a number, boolean or null holds its JSON (type `"x"` to make
 * it a string). Each valid edit gives the whole document again as text, formatted as the original.
 */
export function editableJson(text: string, edited: (text: string) => void): HTMLElement {
  const format = formatOf(text);
  // Edits accumulate on one copy of the document; each leaf knows its path in it.
  let current: unknown = JSON.parse(text);
  const leafInput = (value: unknown, path: JsonPath) => {
    const input = h('input', {
      class: `j-edit j-${typeof value === 'string' ? 'string' : value === null ? 'null' : typeof value}`,
      attrs: { 'aria-label': `value of ${pathName(path)}`, spellcheck: 'false' },
    });
    input.value = typeof value === 'string' ? value : JSON.stringify(value);
    const resize = () => (input.size = Math.min(60, Math.max(4, input.value.length + 1)));
    resize();
    input.addEventListener('input', () => {
      resize();
      const next = typeof value === 'string' ? input.value : parseOrUndefined(input.value);
      input.setAttribute('aria-invalid', String(next === undefined));
      if (next === undefined) return;
      current = path.length ? assign(current, path, next) : next;
      edited(format(current));
    });
    return input;
  };
  return jsonTree(current, leafInput);
}

/** `data.items[0].status`: a leaf's place, for its label. */
export function pathName(path: JsonPath): string {
  if (!path.length) return 'the body';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');
}

/** A copy of `doc` with the value at `path` replaced (the objects on the way are copied, the rest shared). */
function assign(doc: unknown, path: JsonPath, value: unknown): unknown {
  const [key, ...rest] = path;
  const copy = (Array.isArray(doc) ? [...doc] : { ...(doc as object) }) as Record<string | number, unknown>;
  copy[key!] = rest.length ? assign(copy[key!], rest, value) : value;
  return copy;
}

/** How the original was laid out: its indentation (none when on one line) and whether it ended with a newline. */
function formatOf(text: string): (value: unknown) => string {
  const indent = /^[[{]\s*\n([ \t]+)\S/.exec(text.trimStart())?.[1];
  const newline = text.endsWith('\n') ? '\n' : '';
  return (value) => JSON.stringify(value, null, indent) + newline;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
