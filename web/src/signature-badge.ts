import { h } from './dom.js';
import type { SignatureVerdict } from './types.js';

const MARKS: Record<SignatureVerdict['verdict'], string> = { valid: '✓', invalid: '✗', unchecked: '?' };

/** A signature verdict as a small badge: `✓ stripe` (green), `✗ stripe` (red), `? unchecked` (grey), with why in its title. */
export function signatureBadge(signature: SignatureVerdict): HTMLElement {
  const { verdict, scheme } = signature;
  const name = verdict === 'unchecked' ? 'unchecked' : (scheme ?? 'signature');
  return h('span', { class: `badge sig ${verdict}`, title: signatureTitle(signature), data: { verdict } }, `${MARKS[verdict]} ${name}`);
}

/** The verdict and the scheme in words: `valid · github, found from the headers`. */
export function verdictWords(signature: SignatureVerdict): string {
  const verdict = signature.verdict === 'unchecked' ? 'not checked' : signature.verdict;
  if (!signature.scheme) return verdict;
  return `${verdict} · ${signature.scheme}${signature.detected ? ', found from the headers' : ''}`;
}

/** The badge's tooltip: the verdict, then the reason in full. */
function signatureTitle(signature: SignatureVerdict): string {
  const words = `signature ${verdictWords(signature)}`;
  return signature.reason ? `${words}: ${signature.reason}` : words;
}

/** The verdict as the detail shows it: the badge, the words, and the reason in full on a line of its own. */
export function verdictView(signature: SignatureVerdict): HTMLElement {
  return h(
    'span',
    { class: 'sig-verdict', data: { verdict: signature.verdict } },
    signatureBadge(signature),
    ' ',
    h('span', { class: 'sig-words' }, verdictWords(signature)),
    signature.reason ? h('span', { class: 'sig-reason' }, signature.reason) : null,
  );
}
