/**
 * Request ids: sortable by arrival (a base-36 millisecond time and a sequence number), ending in
 * six random characters that are short enough to type and are what the terminal shows.
 *
 *   lq3k9x2a1 000 7hz2kq   ->  "lq3k9x2a10007hz2kq", short id "7hz2kq"
 */
const TIME_WIDTH = 9;
const SEQ_WIDTH = 3;
const SEQ_LIMIT = 36 ** SEQ_WIDTH;
const RANDOM_WIDTH = 6;
const RANDOM_LIMIT = 36 ** RANDOM_WIDTH;

export function shortId(id: string): string {
  return id.slice(-RANDOM_WIDTH);
}

/** Makes ids that only go up, even when the clock steps back or many arrive in one millisecond. */
export function createIdGenerator(now: () => number = Date.now, after?: string): () => string {
  let lastTime = after ? parseInt(after.slice(0, TIME_WIDTH), 36) : 0;
  let seq = after ? parseInt(after.slice(TIME_WIDTH, TIME_WIDTH + SEQ_WIDTH), 36) : 0;
  return () => {
    const time = now();
    if (time > lastTime) {
      lastTime = time;
      seq = 0;
    } else if (++seq >= SEQ_LIMIT) {
      lastTime += 1;
      seq = 0;
    }
    return encodeId({ time: lastTime, seq, random: Math.floor(Math.random() * RANDOM_LIMIT) });
  };
}

export interface IdParts {
  time: number;
  seq: number;
  random: number;
}

const ID_PATTERN = /^[0-9a-z]{18}$/;

export function isRequestId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** An id taken apart into numbers (so that an index can hold it without a string), or null when it is not one of ours. */
export function decodeId(id: string): IdParts | null {
  if (!ID_PATTERN.test(id)) return null;
  return {
    time: parseInt(id.slice(0, TIME_WIDTH), 36),
    seq: parseInt(id.slice(TIME_WIDTH, TIME_WIDTH + SEQ_WIDTH), 36),
    random: parseInt(id.slice(TIME_WIDTH + SEQ_WIDTH), 36),
  };
}

export function encodeId(parts: IdParts): string {
  return (
    parts.time.toString(36).padStart(TIME_WIDTH, '0') + parts.seq.toString(36).padStart(SEQ_WIDTH, '0') + parts.random.toString(36).padStart(RANDOM_WIDTH, '0')
  );
}
