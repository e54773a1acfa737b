import { h } from './dom.js';
import type { DriftInfo, FieldChange } from './types.js';

/** A capture whose body drifted from the earlier ones of its event type: a `drift` badge, its fields in its title. */
export function driftBadge(drift: DriftInfo): HTMLElement {
  return h(
    'span',
    { class: 'badge warn drift', title: `payload drift from earlier ${drift.event} captures: ${drift.changes.map(changeWords).join('; ')}` },
    'drift',
  );
}

/** The detail's Drift row: each changed field on a line of its own. */
export function driftView(drift: DriftInfo): HTMLElement {
  return h(
    'span',
    { class: 'drift-view' },
    driftBadge(drift),
    ` from earlier ${drift.event} captures`,
    h('ul', { class: 'drift-changes' }, ...drift.changes.map((change) => h('li', { data: { change: change.change } }, changeWords(change)))),
  );
}

/** `new field items[].sku`, `missing issue.body`, `type amount: integer → string`. */
export function changeWords(change: FieldChange): string {
  if (change.change === 'new') return `new field ${change.path}`;
  if (change.change === 'missing') return `missing ${change.path}`;
  return `type ${change.path}: ${change.was ?? '?'} → ${change.now ?? '?'}`;
}
