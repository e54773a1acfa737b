// Structural diffs of two captures: `GET /api/requests/:a/diff/:b` and `hook-catch diff --json`.
// src/diff/ makes them; the page and the CLI show them.

/** A JSON value's type, as a diff names it. */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/**
 * One difference between the two values, at its path in plain form: `data.object.amount`,
 * `items[2].sku`, `headers["x-request-id"]`; the empty path is the whole value. `a` and `b` are
 * the values on each side (a whole object or array when one side has it and the other not).
 */
export type ValueChange =
  | { kind: 'added'; path: string; b: unknown }
  | { kind: 'removed'; path: string; a: unknown }
  /** `types` is there when the two values are of different types (`number 12 → string "12"`). */
  | { kind: 'changed'; path: string; a: unknown; b: unknown; types?: [JsonType, JsonType] }
  /** The array at `path` has `a` items on one side and `b` on the other (the extra items are added or removed). */
  | { kind: 'length'; path: string; a: number; b: number };

/**
 * One line of a text diff: its number on each side, null where the line is on one side only
 * (`a` only: removed; `b` only: added). Lines far from any change are left out: a jump in the
 * numbers is a gap.
 */
export interface TextLine {
  a: number | null;
  b: number | null;
  text: string;
}

/** What every body diff says. */
interface BodyDiffBase {
  equal: boolean;
  /** The stored bytes are the same (a retry with the very same body); `equal` may be true without it (JSON with its keys in another order). */
  identical: boolean;
  /** The sizes of what was compared, in bytes (decompressed when a body was sent compressed). */
  sizes: [number, number];
  /** Why they were compared as they were, when that is not the obvious way (one is JSON and the other not, a body not kept). */
  note?: string;
}

/** Both parsed as JSON (`json`), or both were forms (`form`: compared as their fields, a repeated name as a list). */
export interface ValuesDiff extends BodyDiffBase {
  as: 'json' | 'form';
  changes: ValueChange[];
  /** Differences found beyond those listed (a diff lists at most 1,000). */
  more: number;
}

/** Both are UTF-8 text: compared line by line. */
export interface TextDiff extends BodyDiffBase {
  as: 'text';
  lines: TextLine[];
  /** Lines of the diff left out beyond those listed (at most 200). */
  more: number;
}

/** Compared byte for byte. */
export interface BytesDiff extends BodyDiffBase {
  as: 'bytes';
  /** Where the first difference is: null when they are equal, or when one is the start of the other. */
  firstDifference: number | null;
}

/** How two bodies were compared, and what differs. */
export type BodyDiff = ValuesDiff | TextDiff | BytesDiff;

/** The headers compared: names in any case, in any order, a repeated header as the list of its values. */
export interface HeaderDiff {
  equal: boolean;
  changes: ValueChange[];
  /** Differences found beyond those listed. */
  more: number;
}

/** One of the two captures compared. */
export interface DiffSide {
  /** The capture's id (for a fixture file: the id it had where it was captured). */
  id: string;
  /** The fixture file it was read from (`hook-catch diff` only). */
  file?: string;
  method: string;
  url: string;
  receivedAt: string;
  contentType: string | null;
  bodySize: number;
}

/** `GET /api/requests/:a/diff/:b`: what differs between capture `a` and capture `b`. */
export interface CaptureDiff {
  a: DiffSide;
  b: DiffSide;
  /** The bodies are the same (JSON: the same values, key order aside) and, when they were compared, the headers too. */
  equal: boolean;
  body: BodyDiff;
  /** There when the headers were compared (`?headers=1`, `--headers`). */
  headers?: HeaderDiff;
}
