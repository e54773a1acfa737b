/** How often the count of refused requests is told while the store cannot write. */
const COUNT_EVERY_MS = 10_000;

export type HealthNews = { kind: 'failing'; reason: string } | { kind: 'count'; refused: number; reason: string } | { kind: 'recovered'; refused: number };

/**
 * Turns a run of requests the store could not keep into three kinds of news, not one line each:
 * when writing starts to fail, a count now and then while it lasts, and when it recovers.
 */
export class StoreHealth {
  private refused = 0;
  private toldAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A request could not be stored. */
  failed(reason: string): HealthNews | null {
    this.refused++;
    if (this.refused === 1) {
      this.toldAt = this.now();
      return { kind: 'failing', reason };
    }
    if (this.now() - this.toldAt < COUNT_EVERY_MS) return null;
    this.toldAt = this.now();
    return { kind: 'count', refused: this.refused, reason };
  }

  /** A request was stored. */
  stored(): HealthNews | null {
    if (this.refused === 0) return null;
    const refused = this.refused;
    this.refused = 0;
    return { kind: 'recovered', refused };
  }
}
