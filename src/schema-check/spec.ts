import type { Validator } from './validator.js';

// A user's spec as hook-catch uses it: the schemas in it, each for an event type, and which one a
// capture is checked against. The same rules for every kind of file (loaded in load.ts).

/** One schema of a spec and what it is for. */
export interface Target {
  /** Its name in the spec: a webhook's (`orderCreated`), an event type (`issues.opened`), a file's. */
  name: string;
  /** Where it is, in the spec's words (`webhooks.orderCreated`, `$defs.IssuesOpened`, `issues.opened.json`). */
  against: string;
  /** Event types its schema pins (a `type`, `event` or `event_type` field with `const` or `enum`). */
  pins: string[];
  validator: Validator;
}

export interface Spec {
  /** The file or folder, as the user gave it. */
  file: string;
  /** What it holds, for the banner: `OpenAPI 3.1.0, 3 webhooks`. */
  description: string;
  /** The schema that applies to a capture of this event type, or why none does. */
  targetOf(event: string | undefined): Target | { reason: string };
}

/** `issues-opened`, `issues.opened`, `Issues_Opened` and `issues/opened` are one name. */
export const sameName = (name: string) => name.toLowerCase().replace(/[._\-/\s]/g, '');

/**
 * The spec over its targets: the one whose name is the event type's (case and `.`, `_`, `-`, `/`,
 * spaces aside), else the one whose schema pins it; a spec of one schema applies to every capture.
 * `kind` names what the spec holds in reasons (`webhook`, `schema`).
 */
export function specOver(file: string, description: string, targets: Target[], kind: string): Spec {
  const byName = new Map<string, Target>();
  const byPin = new Map<string, Target>();
  for (const target of targets) {
    if (!byName.has(sameName(target.name))) byName.set(sameName(target.name), target);
    for (const pin of target.pins) if (!byPin.has(sameName(pin))) byPin.set(sameName(pin), target);
  }
  const only = targets.length === 1 ? targets[0]! : null;
  return {
    file,
    description,
    targetOf(event) {
      if (only) return only;
      if (event === undefined)
        return { reason: `its event type could not be told, and ${file} has ${targets.length} ${kind}s: which one applies is not known` };
      const key = sameName(event);
      return byName.get(key) ?? byPin.get(key) ?? { reason: `${file} has no ${kind} for event ${event} (none is named after it or pins it)` };
    },
  };
}
