import { h, fill } from './dom.js';
import { editableJson } from './json-edit.js';
import { resultView } from './replay-result.js';
import { saveTarget, sendReplay, targetInput } from './replays.js';
import { size } from './format.js';
import type { ReplayRequest, ReplayRecord, RequestRecord } from './types.js';

type Sent = (record: ReplayRecord, target: string) => void;

/**
 * Edit and replay: a modal dialog with the capture's method, path, headers and body, all editable
 * (the body as raw text, or as a JSON tree with an input per value), and where to send it. The
 * capture itself is never changed: the API keeps the edited copy with the replay. Esc or Cancel closes.
 */
export function openReplayDialog(record: RequestRecord, target: string, sent: Sent): void {
  document.getElementById('replay-dialog')?.remove();
  const method = input('method', record.method, 'replay-method');
  const path = input('path and query', record.url, 'replay-path');
  const to = input('replay target', target, 'replay-to');
  const headers = headerEditor(record.headers);
  const body = bodyEditor(record);
  const resign = resignOption(record);
  const out = h('div', { class: 'replay-out', attrs: { 'aria-live': 'polite' } });
  const send = h('button', { class: 'primary', attrs: { type: 'submit' }, data: { action: 'send' } }, 'Send');
  const form = h(
    'form',
    { class: 'replay-form' },
    h('h2', null, 'Edit and replay ', h('code', null, record.id)),
    h('p', { class: 'note' }, 'The capture stays as it was received: the edited copy is kept with its replay.'),
    h('div', { class: 'line-edit' }, method, path),
    h('label', { class: 'field' }, h('span', null, 'Send to'), to),
    h('h3', null, 'Headers'),
    h(
      'p',
      { class: 'note' },
      'The connection headers (Connection, Transfer-Encoding…) are not passed on and Content-Length follows the body; the target gets its own Host unless you change it here.',
    ),
    headers.el,
    h('h3', null, 'Body'),
    body.el,
    resign.el,
    out,
    h(
      'div',
      { class: 'dialog-buttons' },
      h('button', { attrs: { type: 'button' }, data: { action: 'cancel' }, on: { click: () => dialog.close() } }, 'Cancel'),
      send,
    ),
  );
  const dialog = h('dialog', { attrs: { id: 'replay-dialog', 'aria-label': `edit and replay ${record.id}` } }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    send.disabled = true;
    fill(out, h('p', { class: 'note' }, 'Sending…'));
    saveTarget(to.value);
    const edits: ReplayRequest = {
      ...targetInput(to.value),
      method: method.value.trim(),
      path: path.value.trim(),
      headers: headers.pairs(),
      ...body.payload(),
      ...resign.payload(),
    };
    try {
      const replay = await sendReplay(record.id, edits);
      fill(out, resultView(replay));
      sent(replay, to.value);
    } catch (error) {
      fill(out, h('p', { class: 'note error', data: { status: 'error' } }, (error as Error).message));
    } finally {
      send.disabled = false;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

function input(label: string, value: string, name: string): HTMLInputElement {
  const el = h('input', { class: name, attrs: { 'aria-label': label, autocomplete: 'off', spellcheck: 'false' } });
  el.value = value;
  return el;
}

/** The headers as a list of name and value inputs, in order: a row can be removed, one added at the end. */
function headerEditor(initial: [string, string][]): { el: HTMLElement; pairs: () => [string, string][] } {
  const rows = h('div', { class: 'header-rows' });
  const addRow = (name: string, value: string) => {
    const n = input('header name', name, 'h-name');
    const v = input('header value', value, 'h-value');
    const row = h(
      'div',
      { class: 'header-row', data: { header: name } },
      n,
      v,
      h(
        'button',
        { attrs: { type: 'button', 'aria-label': `remove header ${name || 'row'}` }, data: { action: 'remove-header' }, on: { click: () => row.remove() } },
        '×',
      ),
    );
    rows.append(row);
    return n;
  };
  for (const [name, value] of initial) addRow(name, value);
  const add = h('button', { attrs: { type: 'button' }, data: { action: 'add-header' }, on: { click: () => addRow('', '').focus() } }, 'Add header');
  const pairs = () =>
    [...rows.querySelectorAll<HTMLElement>('.header-row')]
      .map((row): [string, string] => [row.querySelector<HTMLInputElement>('.h-name')!.value.trim(), row.querySelector<HTMLInputElement>('.h-value')!.value])
      .filter(([name]) => name !== '');
  return { el: h('div', { class: 'header-edit' }, rows, add), pairs };
}

/**
 * Re-sign: for a capture that came signed (a --verify checked it), the server signs the edited body
 * again with this instance's --verify secret, under the same scheme and timestamped now, so that
 * the app's own check passes. Nothing to show for a capture no --verify checked.
 */
function resignOption(record: RequestRecord): { el: HTMLElement | null; payload: () => Pick<ReplayRequest, 'resign'> } {
  const scheme = record.signature?.scheme;
  if (!scheme) return { el: null, payload: () => ({}) };
  const box = h('input', { attrs: { type: 'checkbox' }, data: { action: 'resign' } });
  const el = h(
    'div',
    { class: 'resign' },
    h('label', null, box, ` Re-sign (${scheme})`),
    h(
      'span',
      { class: 'note' },
      `sign the body again with this hook-catch's --verify secret, timestamped now (an edited body no longer matches the signature it came with)`,
    ),
  );
  return { el, payload: () => (box.checked ? { resign: true } : {}) };
}

type BodyTab = 'raw' | 'tree';

/**
 * The body as raw text or, while the text is valid JSON, as a tree of inputs; an edit in either
 * shows in the other. A binary body cannot be shown as text: it goes unchanged unless replaced.
 */
function bodyEditor(record: RequestRecord): { el: HTMLElement; payload: () => Pick<ReplayRequest, 'body' | 'bodyEncoding'> } {
  const binary = record.bodyEncoding === 'base64';
  let text = binary ? '' : record.body;
  let edited = false;
  const area = h('textarea', { class: 'body-edit', attrs: { 'aria-label': 'body', rows: '12', spellcheck: 'false' } });
  area.value = text;
  if (binary) area.placeholder = `A binary body of ${size(record.bodySize)}: it is sent unchanged unless you type a new one here.`;
  const view = h('div', { class: 'body-pane' });
  const tabs: Record<BodyTab, HTMLButtonElement> = {
    raw: h('button', { class: 'tab', attrs: { type: 'button', role: 'tab' }, data: { tab: 'raw' }, on: { click: () => show('raw') } }, 'Raw'),
    tree: h('button', { class: 'tab', attrs: { type: 'button', role: 'tab' }, data: { tab: 'tree' }, on: { click: () => show('tree') } }, 'JSON tree'),
  };
  const show = (tab: BodyTab) => {
    if (tab === 'tree' && !isJson(text)) tab = 'raw';
    for (const [name, button] of Object.entries(tabs)) button.classList.toggle('active', name === tab);
    fill(view, tab === 'raw' ? area : editableJson(text, (next) => change(next, true)));
  };
  const change = (next: string, fromTree: boolean) => {
    text = next;
    edited = true;
    if (fromTree) area.value = next;
    tabs.tree.disabled = !isJson(text);
  };
  area.addEventListener('input', () => change(area.value, false));
  tabs.tree.disabled = !isJson(text);
  show(tabs.tree.disabled ? 'raw' : 'tree');
  const payload = () => (binary && !edited ? { body: record.body, bodyEncoding: 'base64' as const } : { body: text, bodyEncoding: 'utf8' as const });
  return { el: h('div', null, h('div', { class: 'tabs', attrs: { role: 'tablist' } }, tabs.raw, tabs.tree), view), payload };
}

function isJson(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
