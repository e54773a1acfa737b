import type { CapturedRequest } from '../capture/capture.js';

type Captured = (request: CapturedRequest, latencyMs: number) => void;

/**
 * What follows a capture's answer (its job, the stream, the terminal, the library's event) runs
 * after every answer of the same write: one write to the log stores a whole batch of requests, and
 * each of their senders is answered first, then the batch's after-work runs, in arrival order. Done
 * one request at a time instead, the last sender of a batch of 32 would wait for 31 captures' work.
 */
export function afterAnswers(run: Captured): Captured {
  const queue: [CapturedRequest, number][] = [];
  // The stored appends of a batch resolve together, so their answers are queued microtasks already:
  // one queued after the first answer runs after all of them.
  const drain = () => {
    let i = 0;
    try {
      for (; i < queue.length; i++) run(queue[i]![0], queue[i]![1]);
    } finally {
      // Should a step throw, the captures after it still get theirs (in a later microtask), and the throw goes on as before.
      const rest = queue.splice(0, queue.length).slice(i + 1);
      if (rest.length) for (const item of rest) schedule(item);
    }
  };
  const schedule = (item: [CapturedRequest, number]) => {
    if (queue.push(item) === 1) queueMicrotask(drain);
  };
  return (request, latencyMs) => schedule([request, latencyMs]);
}
