import { isUtf8 } from 'node:buffer';
import type { ChalkInstance } from 'chalk';
import { viewBody, VIEW_FIELDS, type BodyView } from '../../capture/body-view.js';
import type { CapturedRequest } from '../../capture/capture.js';
import { shortId } from '../../capture/ids.js';
import { formatBytes } from '../../units.js';

const AS_SENT = '`--body` gives the bytes as sent';

/**
 * The Body section of `show`: what the body says (decompressed; a form as its fields; JSON indented),
 * with a dim note whenever that is not the stored bytes. The stored bytes never change.
 */
export function bodyLines(
  request: CapturedRequest,
  c: ChalkInstance,
  binary = c.dim(`(binary; save it with: hook-catch show ${shortId(request.id)} --body > file)`),
): string[] {
  const view = viewBody(request);
  const note = noteOn(view, request.body.length);
  const heading = c.bold('Body') + (note ? `  ${c.dim(note)}` : '');
  if (view.format === 'form') return [heading, ...formLines(view, c)];
  const shown = view.bytes ?? request.body;
  if (!isUtf8(shown)) return [heading, binary];
  return [heading, readable(shown.toString('utf8'))];
}

function noteOn(view: BodyView, storedSize: number): string | null {
  const cut = view.fieldsCut ? ` (the first ${VIEW_FIELDS.toLocaleString('en')})` : '';
  if (view.encodings.length > 0) {
    const sent = `sent ${view.encodings.join('+')}-compressed, ${formatBytes(storedSize)}`;
    if (view.bytes === null) return `(${sent}, but ${view.problem}; shown as stored)`;
    const asForm = view.format === 'form' ? `, as form fields${cut}` : '';
    return `(${sent}; shown decoded, ${formatBytes(view.bytes.length)}${asForm} — ${AS_SENT})`;
  }
  return view.format === 'form' ? `(form fields${cut}, decoded — ${AS_SENT})` : null;
}

/** One `name = value` line per field, in the order sent; a JSON value (GitHub's `payload=`) indented. */
function formLines(view: BodyView, c: ChalkInstance): string[] {
  return view.fields.map(([name, value]) => `${c.cyan(name)} = ${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`);
}

/** JSON indented for reading; anything else as it is. */
function readable(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
