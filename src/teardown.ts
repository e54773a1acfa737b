/**
 * What `start()` has set up, undone in reverse order, once: the same steps serve a start-up that
 * fails half-way and `close()`. A step that fails does not stop the others; the first failure is
 * thrown once all have run.
 */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];
  private done: Promise<void> | undefined;

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    return (this.done ??= (async () => {
      let failure: unknown;
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure) throw failure;
    })());
  }
}
