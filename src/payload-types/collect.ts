import type { CapturedRequest } from '../capture/capture.js';
import type { CaptureMarks } from '../capture/shapes.js';
import { bodyOf } from '../event-types/event-type.js';
import { addValue, emptyShape, type Shape } from './shape.js';

// Captures sorted into groups, one per event type, each folding its bodies into one shape. A
// capture with no event type is grouped by its path (what an endpoint receives is one kind of
// payload far more often than what different endpoints receive): its group is keyed by the path and
// marked `untyped`, so that it never poses as an event type. Calls through the provider port,
// polled answers and refused requests are not webhooks; captures with no JSON or form body carry no
// payload to type: both are counted as left out.

export interface PayloadGroup {
  /** The event type (`issues.opened`), or for untyped captures their path (`/hooks/ai`). */
  key: string;
  untyped: boolean;
  /** Who sent it, when the event type said so (the first capture's). */
  provider?: string;
  samples: number;
  shape: Shape;
}

export interface PayloadSet {
  /** Event types in order of first arrival, then the untyped paths. */
  groups: PayloadGroup[];
  /** Captures read, and of them those left out (not a webhook, or no payload). */
  captures: number;
  leftOut: number;
}

export class PayloadCollector {
  private readonly groups = new Map<string, PayloadGroup>();
  private captures = 0;
  private leftOut = 0;

  /** Whether a capture, by its summary, is a webhook whose payload could be typed. */
  static isWebhook(marks: CaptureMarks): boolean {
    return !marks.refusal && !marks.outbound && !marks.poll;
  }

  add(request: CapturedRequest): void {
    const body = PayloadCollector.isWebhook(request) ? bodyOf(request) : undefined;
    if (body === undefined) {
      this.captures++;
      this.leftOut++;
      return;
    }
    this.addBody(body, request.event?.type, request.event?.provider, request.path);
  }

  /** One parsed body of an event type (or, without one, received on `path`). */
  addBody(body: unknown, type: string | undefined, provider?: string, path = '/'): void {
    const key = type ?? path;
    const id = `${type === undefined ? 'u' : 'e'}${key}`;
    let group = this.groups.get(id);
    if (!group) {
      group = { key, untyped: type === undefined, ...(provider && { provider }), samples: 0, shape: emptyShape() };
      this.groups.set(id, group);
    }
    this.captures++;
    group.samples++;
    addValue(group.shape, body);
  }

  result(): PayloadSet {
    const groups = [...this.groups.values()];
    const ordered = [...groups.filter((g) => !g.untyped), ...groups.filter((g) => g.untyped)];
    return { groups: ordered, captures: this.captures, leftOut: this.leftOut };
  }
}
