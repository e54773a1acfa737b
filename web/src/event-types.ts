import { getJson } from './api.js';
import { h } from './dom.js';
import type { EventCounts, EventType, ListedRequest } from './types.js';

/** A capture's event type as a small badge: `issues.opened`, with the provider and where it was read in its title. */
export function eventBadge(event: EventType): HTMLElement {
  return h('span', { class: 'badge event', title: eventTitle(event), data: { event: event.type } }, event.type);
}

/** `github event issues.opened, from header X-GitHub-Event + body.action`. */
export function eventTitle(event: EventType): string {
  return `${event.provider ? `${event.provider} event` : 'event'} ${event.type}, from ${event.from}`;
}

/**
 * The toolbar's event filter: the event types stored, grouped by provider, each with how many
 * captures it has. Loaded at start, again when the list shows a type it does not hold yet, and
 * when the user opens it (so the counts are today's).
 */
export class EventSelect {
  private readonly known = new Set<string>();
  private loading: Promise<void> | null = null;

  constructor(private readonly select: HTMLSelectElement) {
    select.addEventListener('focus', () => void this.load());
    select.addEventListener('mousedown', () => void this.load());
  }

  /** Loads the counts again once a request shows an event type the select does not list. */
  saw(requests: ListedRequest[]): void {
    if (requests.some((r) => r.event && !this.known.has(r.event.type))) void this.load();
  }

  load(): Promise<void> {
    this.loading ??= getJson<EventCounts>('/api/event-types')
      .then((counts) => this.fill(counts))
      .catch(() => undefined)
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private fill(counts: EventCounts): void {
    const chosen = this.select.value;
    const groups = new Map<string, HTMLOptionElement[]>();
    this.known.clear();
    for (const item of counts.items) {
      this.known.add(item.type);
      const group = item.provider ?? 'other';
      const option = h('option', { attrs: { value: item.type } }, `${item.type} (${item.count.toLocaleString()})`);
      groups.set(group, [...(groups.get(group) ?? []), option]);
    }
    const any = h('option', { attrs: { value: '' } }, counts.items.length ? 'any event' : 'any event (none told yet)');
    const names = [...groups.keys()].sort((a, b) => (a === 'other' ? 1 : b === 'other' ? -1 : a.localeCompare(b)));
    const optgroups = names.map((name) => {
      const group = document.createElement('optgroup');
      group.label = name;
      group.append(...groups.get(name)!);
      return group;
    });
    // The chosen type stays chosen, even when it has no capture left.
    if (chosen && !this.known.has(chosen)) optgroups.push(Object.assign(document.createElement('optgroup'), { label: 'chosen' }));
    if (chosen && !this.known.has(chosen)) optgroups.at(-1)!.append(h('option', { attrs: { value: chosen } }, chosen));
    this.select.replaceChildren(any, ...optgroups);
    this.select.value = chosen;
  }
}
