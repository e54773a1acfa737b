import type { CaptureMarks, EventType } from '../capture/capture.js';
import type { SignatureVerdict } from '../capture/signature.js';

/** Requests per chunk of the index (a power of two: a slot's chunk and place in it are a shift and a mask). */
export const CHUNK_SHIFT = 12;
export const CHUNK_SLOTS = 1 << CHUNK_SHIFT;
export const CHUNK_MASK = CHUNK_SLOTS - 1;

/**
 * 4,096 requests of the index, in columns: typed arrays of numbers, and arrays of mostly shared
 * strings and objects. The index grows by a chunk and lets go of its oldest chunk once every request
 * in it is gone: nothing is ever copied, so no request waits on the index moving thousands of
 * others, and nothing large is left behind for the garbage collector.
 */
export class IndexChunk {
  readonly idTimes = new Float64Array(CHUNK_SLOTS);
  readonly idSeqs = new Uint16Array(CHUNK_SLOTS);
  readonly idRandoms = new Uint32Array(CHUNK_SLOTS);
  readonly received = new Float64Array(CHUNK_SLOTS);
  readonly bodySizes = new Float64Array(CHUNK_SLOTS);
  readonly segments = new Uint32Array(CHUNK_SLOTS);
  readonly offsets = new Uint32Array(CHUNK_SLOTS);
  readonly lengths = new Uint32Array(CHUNK_SLOTS);
  readonly statuses = new Uint16Array(CHUNK_SLOTS);
  readonly flags = new Uint8Array(CHUNK_SLOTS);
  // Made their full size at once (filled slot by slot, an array is grown again and again).
  readonly urls = new Array<string>(CHUNK_SLOTS);
  readonly methods = new Array<string>(CHUNK_SLOTS);
  readonly contentTypes = new Array<string | null>(CHUNK_SLOTS);
  readonly remotes = new Array<string | null>(CHUNK_SLOTS);
  /** Signature verdicts (`--verify`), mostly the same few objects shared. */
  readonly signatures = new Array<SignatureVerdict | null>(CHUNK_SLOTS);
  /**
   * What polled answers (`expect --poll`) were polled for, and what calls through the provider port
   * were (`outbound`): few among webhooks, so the other slots hold null.
   */
  readonly polls = new Array<Pick<CaptureMarks, 'poll' | 'outbound'> | null>(CHUNK_SLOTS);
  /** Event types, the same few objects shared. */
  readonly events = new Array<EventType | null>(CHUNK_SLOTS);
}
