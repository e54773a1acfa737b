import { sendJson } from './api.js';
import { fill, h } from './dom.js';
import { verdictView } from './signature-badge.js';
import { SCHEME_NAMES, type RequestRecord, type SignatureVerdict, type VerifyAnswer, type VerifyRequest } from './types.js';

/**
 * Check a secret: the verdict a secret gives this capture's signature (`POST /api/requests/:id/verify`),
 * to find which secret a provider signs with. Nothing is stored. The secret lives in its password
 * input only: not in the URL, storage, or the page (the inputs have no names, so even a form sent
 * without script carries no secret).
 */
export function signatureCheck(record: RequestRecord): HTMLElement {
  const scheme = schemeSelect(record.signature?.scheme ?? null);
  const secret = h('input', {
    class: 'sig-secret',
    attrs: { type: 'password', 'aria-label': 'signing secret', placeholder: 'signing secret', autocomplete: 'off', spellcheck: 'false', required: '' },
  });
  const header = h('input', {
    class: 'sig-header',
    attrs: { 'aria-label': 'signature header', placeholder: 'header (found by name)', autocomplete: 'off', spellcheck: 'false' },
  });
  const check = h('button', { attrs: { type: 'submit' }, data: { action: 'check-secret' } }, 'Check');
  const out = h('div', { class: 'sig-out', attrs: { 'aria-live': 'polite' } });
  const showHeader = () => (header.hidden = !scheme.value.startsWith('hmac-'));
  scheme.addEventListener('change', showHeader);
  showHeader();
  const form = h('form', { class: 'sig-form', attrs: { 'aria-label': 'check a secret' } }, scheme, secret, header, check);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    check.disabled = true;
    fill(out, h('p', { class: 'note' }, 'Checking…'));
    try {
      fill(out, verdictView(await verify(record.id, inputOf(scheme.value, secret.value, header.hidden ? '' : header.value))));
    } catch (error) {
      fill(out, h('p', { class: 'note error', attrs: { role: 'alert' } }, (error as Error).message));
    } finally {
      check.disabled = false;
    }
  });
  return h(
    'div',
    { class: 'sig-check' },
    h('p', { class: 'note' }, 'The verdict a signing secret gives this capture, as it was received. The secret is not kept.'),
    form,
    out,
  );
}

/** The scheme to check under: auto (found from the headers) or one named, preselected to the capture's. */
function schemeSelect(current: string | null): HTMLSelectElement {
  const select = h(
    'select',
    { class: 'sig-scheme', attrs: { 'aria-label': 'signature scheme' } },
    h('option', { attrs: { value: 'auto' } }, 'auto (from the headers)'),
    ...SCHEME_NAMES.map((name) => h('option', { attrs: { value: name } }, name)),
  );
  select.value = current ?? 'auto';
  return select;
}

function inputOf(scheme: string, secret: string, header: string): VerifyRequest {
  const input: VerifyRequest = { secret };
  if (scheme !== 'auto') input.scheme = scheme as VerifyRequest['scheme'];
  if (header.trim()) input.header = header.trim();
  return input;
}

async function verify(id: string, input: VerifyRequest): Promise<SignatureVerdict> {
  const answer = await sendJson<VerifyAnswer>('POST', `/api/requests/${encodeURIComponent(id)}/verify`, input);
  return answer.signature;
}
