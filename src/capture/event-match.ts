import type { EventType } from './shapes.js';

// Which event types a filter takes (`list --event`, `?event=`, `types --event`): a name as it is
// (any case), a family by its start (`issues` takes `issues.opened`, `orders` takes `orders/create`),
// or a pattern with `*` (`*.succeeded`). The page compiles this file too: keep it free of node.

/** A test of a capture's event type; null when no filter was asked for. Several patterns: any may match. */
export function eventFilter(patterns: readonly string[]): ((event: EventType | undefined) => boolean) | null {
  const tests = patterns
    .flatMap((p) => p.split(','))
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .map(patternTest);
  if (tests.length === 0) return null;
  return (event) => {
    if (!event) return false;
    const type = event.type.toLowerCase();
    return tests.some((test) => test(type));
  };
}

function patternTest(pattern: string): (type: string) => boolean {
  if (pattern.includes('*')) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    const re = new RegExp(`^${source}$`);
    return (type) => re.test(type);
  }
  return (type) => type === pattern || (type.startsWith(pattern) && '.:/'.includes(type[pattern.length]!));
}
