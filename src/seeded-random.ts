/**
 * A small seeded generator (mulberry32): numbers in [0, 1) whose sequence is fixed by its seed, the
 * same on every machine and Node version (Math.random cannot be seeded). `deliver --seed` repeats its
 * order and duplicates with it, a response rule's `--fail-rate` its failures.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
