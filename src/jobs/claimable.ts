import type { Candidate } from './extract.js';
import type { Delivery } from './types.js';

/** A delivery a registration may claim, and where its id was found (`path`, `body.id` …). */
export interface Claim {
  delivery: Delivery;
  matchedBy: string;
}

/** Ids remembered for a registration that may come later, and deliveries per id: the recent ones are what matter. */
const IDS = 5000;
const PER_ID = 20;

/**
 * The deliveries each id could also belong to: a webhook that came before its job was registered
 * (or that only a weak candidate named) is found here when the registration arrives. Bounded.
 */
export class ClaimableDeliveries {
  private readonly byId = new Map<string, Claim[]>();

  /** Remembers `delivery` under each of its candidates but `except` (the job it went to). */
  add(delivery: Delivery, candidates: Candidate[], except: string | null): void {
    for (const { id, matchedBy } of candidates) {
      if (id === except) continue;
      const list = this.byId.get(id);
      // Most ids are named once: an array of one, not an empty one pushed into (room for 16 more).
      if (!list) this.byId.set(id, [{ delivery, matchedBy }]);
      else {
        list.push({ delivery, matchedBy });
        if (list.length > PER_ID) list.shift();
      }
    }
    // A tenth at a time: dropping one at a time with keys().next() walks over every slot deleted before it.
    if (this.byId.size > IDS * 1.1) {
      let count = this.byId.size - IDS;
      for (const id of this.byId.keys()) {
        if (count-- <= 0) break;
        this.byId.delete(id);
      }
    }
  }

  of(id: string): Claim[] {
    return this.byId.get(id) ?? [];
  }
}
