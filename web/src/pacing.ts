/** Above this many webhooks a second, the page draws less often (nobody reads rows at that rate). */
const FLOOD_RATE = 300;
/** Under a flood, at most one drawing this often: the CPU is better left to the receiver. */
const FLOOD_FRAME_MS = 250;
/** The jobs panel is drawn at most this often: a card's move is seen as well at 4 frames a second. */
const JOBS_FRAME_MS = 250;
/** …and under a flood, once a second: its timelines are the page's costliest drawing. */
const FLOOD_JOBS_FRAME_MS = 1000;

/**
 * When the page draws. Normally once per animation frame, all that arrived since in one go; under
 * a flood of webhooks (a load test, a provider's backlog) a few times a second, so that a browser
 * tab on the same machine does not take the CPU the receiver needs.
 */
export class Pacer {
  private second = 0;
  private thisSecond = 0;
  private lastSecond = 0;
  private lastFrame = 0;
  private lastJobs = -Infinity;

  /** Counts requests as they arrive. */
  saw(count: number, now = performance.now()): void {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.lastSecond = second === this.second + 1 ? this.thisSecond : 0;
      this.thisSecond = 0;
      this.second = second;
    }
    this.thisSecond += count;
  }

  get flooding(): boolean {
    return Math.max(this.thisSecond, this.lastSecond) > FLOOD_RATE;
  }

  /** How long to wait before the next drawing (0: at the next animation frame). */
  delay(now = performance.now()): number {
    return this.flooding ? Math.max(0, this.lastFrame + FLOOD_FRAME_MS - now) : 0;
  }

  drew(now = performance.now()): void {
    this.lastFrame = now;
  }

  /** 0 when the jobs panel may be drawn now, else how long until it may. */
  jobsWait(now = performance.now()): number {
    return Math.max(0, this.lastJobs + (this.flooding ? FLOOD_JOBS_FRAME_MS : JOBS_FRAME_MS) - now);
  }

  drewJobs(now = performance.now()): void {
    this.lastJobs = now;
  }
}
