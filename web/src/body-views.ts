import { h } from './dom.js';
import { size } from './format.js';

/** Bodies larger than this show their start in the raw and hex views (the download has all of it). */
const RAW_LIMIT = 1_000_000;
const HEX_LIMIT = 64 * 1024;
/** Objects and arrays deeper than this start folded. */
const OPEN_DEPTH = 2;

/** The body's exact bytes, from the record's encoding (UTF-8 text when it was valid UTF-8, else base64). */
export function bodyBytes(body: string, encoding: 'utf8' | 'base64'): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(body);
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The body as text, exactly as sent (never interpreted as markup). */
export function rawView(text: string | null, bytes: Uint8Array): HTMLElement {
  if (text === null) {
    return h('p', { class: 'note' }, `Binary body (${size(bytes.length)}), not valid UTF-8: see Hex, or download it.`);
  }
  const cut = text.length > RAW_LIMIT;
  return h(
    'div',
    null,
    cut ? h('p', { class: 'note' }, `The first ${size(RAW_LIMIT)} characters of ${size(bytes.length)}: download the body for all of it.`) : null,
    h('pre', { class: 'raw' }, cut ? text.slice(0, RAW_LIMIT) : text),
  );
}

/** Offset, sixteen bytes in hex, and the printable ones as text. */
export function hexView(bytes: Uint8Array): HTMLElement {
  const n = Math.min(bytes.length, HEX_LIMIT);
  const lines: string[] = [];
  for (let offset = 0; offset < n; offset += 16) {
    const chunk = bytes.subarray(offset, Math.min(offset + 16, n));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const b = chunk[i];
      hex += (b === undefined ? '  ' : b.toString(16).padStart(2, '0')) + (i === 7 ? '  ' : ' ');
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} ${ascii}`);
  }
  const note = bytes.length > n ? h('p', { class: 'note' }, `The first ${size(HEX_LIMIT)} of ${size(bytes.length)}: download the body for all of it.`) : null;
  return h('div', null, note, h('pre', { class: 'hex' }, lines.join('\n') || '(empty body)'));
}

/** Where a value sits in a JSON document: object keys and array indexes from the top. */
export type JsonPath = (string | number)[];
/** Draws one leaf (a string, number, boolean or null) of a JSON tree. */
export type LeafView = (value: unknown, path: JsonPath) => HTMLElement;

/**
 * A collapsible tree of a parsed JSON value: `<details>` per object and array, children drawn when
 * opened. Leaves are drawn as read-only text unless `leafView` draws them otherwise (json-edit.ts).
 */
export function jsonTree(value: unknown, leafView: LeafView = leaf): HTMLElement {
  return h('div', { class: 'tree' }, node(null, value, [], leafView));
}

function node(key: string | null, value: unknown, path: JsonPath, leafView: LeafView): HTMLElement {
  const label = key === null ? null : h('span', { class: 'j-key' }, key);
  if (value === null || typeof value !== 'object') {
    return h('div', { class: 'j-leaf' }, label, label ? ': ' : null, leafView(value, path));
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  const count = Array.isArray(value) ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
  const details = h(
    'details',
    null,
    h(
      'summary',
      null,
      label,
      label ? ': ' : null,
      h('span', { class: 'j-punct' }, open),
      h('span', { class: 'j-count' }, ` ${count} `),
      h('span', { class: 'j-punct' }, close),
    ),
  );
  let drawn = false;
  const draw = () => {
    if (drawn) return;
    drawn = true;
    const children = h('div', { class: 'j-children' });
    for (const [k, v] of entries) children.append(node(String(k), v, [...path, k], leafView));
    details.append(children);
  };
  details.addEventListener('toggle', () => details.open && draw());
  if (path.length < OPEN_DEPTH && entries.length <= 200) {
    draw();
    details.open = true;
  }
  return details;
}

function leaf(value: unknown): HTMLElement {
  if (typeof value === 'string') return h('span', { class: 'j-string' }, JSON.stringify(value));
  if (typeof value === 'number') return h('span', { class: 'j-number' }, String(value));
  if (typeof value === 'boolean') return h('span', { class: 'j-bool' }, String(value));
  return h('span', { class: 'j-null' }, 'null');
}
