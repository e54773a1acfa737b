import { h } from './dom.js';
import { duration } from './format.js';
import type { ForwardInfo } from './types.js';

/** What the user's app answered a forwarded capture, as a small badge: `→ 201 12 ms`, or `→ failed` with why in its title. */
export function forwardBadge(forward: ForwardInfo): HTMLElement {
  if (forward.notSent) return h('span', { class: 'badge fwd bad', title: forward.error ?? 'not forwarded' }, '→ not forwarded');
  if (forward.status === null) {
    return h('span', { class: 'badge fwd bad', title: `forwarding failed: ${forward.error ?? 'no answer'}` }, '→ failed');
  }
  return h(
    'span',
    { class: `badge fwd s${String(forward.status)[0]}`, title: `your app answered ${forward.status} in ${duration(forward.latencyMs)}` },
    `→ ${forward.status} ${duration(forward.latencyMs)}`,
  );
}

/** The same in words, for the detail. */
export function forwardWords(forward: ForwardInfo): string {
  if (forward.notSent) return forward.error ?? 'not forwarded';
  if (forward.status === null) return `failed after ${duration(forward.latencyMs)}: ${forward.error ?? 'no answer'}`;
  return `your app answered ${forward.status} in ${duration(forward.latencyMs)}`;
}
