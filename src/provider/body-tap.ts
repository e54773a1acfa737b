import { createHash, type Hash } from 'node:crypto';
import type { BodyPart } from '../capture/shapes.js';

/**
 * Watches a body go by without holding more of it than `keepBytes`: its size, its sha-256, its
 * first `keepBytes` bytes (all of it when it fits), and for a multipart body the names and sizes of
 * its parts, so that an upload of hundreds of MB through the provider port costs no memory.
 */
export class BodyTap {
  size = 0;
  private readonly chunks: Buffer[] = [];
  private keptBytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly parts: MultipartScan | null;

  constructor(
    private readonly keepBytes: number,
    contentType: string | null,
  ) {
    const boundary = /^multipart\/[^;]*;.*?boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    this.parts = boundary ? new MultipartScan(boundary) : null;
  }

  push(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    this.parts?.push(chunk);
    if (this.size <= this.keepBytes) {
      this.chunks.push(chunk);
      this.keptBytes += chunk.length;
    } else if (this.chunks.length) {
      // Too large to keep: let go of what was held, so that an upload of any size costs no memory.
      this.chunks.length = 0;
      this.keptBytes = 0;
    }
  }

  /** True when the body was larger than `keepBytes`: then only its size, hash and parts are known. */
  get overflow(): boolean {
    return this.size > this.keepBytes;
  }

  /** The whole body, or an empty buffer when it overflowed. */
  bytes(): Buffer {
    return this.overflow ? Buffer.alloc(0) : Buffer.concat(this.chunks, this.keptBytes);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  multipart(): BodyPart[] | undefined {
    return this.parts?.result();
  }
}

/** Longest part head read (its Content-Disposition and Content-Type): more is not a head worth reading. */
const HEAD_BYTES = 4096;

/**
 * Finds a multipart body's parts as its bytes stream by: each `\r\n--boundary` ends one part and
 * starts the next, whose head (up to the blank line) says its name, file name and type. Holds only
 * a boundary's length of bytes between chunks, and one part head at a time.
 */
class MultipartScan {
  private readonly delimiter: Buffer;
  private carry = Buffer.alloc(0);
  private current: { head: Buffer; headDone: boolean; part: BodyPart } | null = null;
  private readonly found: BodyPart[] = [];

  constructor(boundary: string) {
    // The first boundary has no CRLF before it: pretend one came, so every delimiter looks the same.
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    this.carry = Buffer.from('\r\n');
  }

  push(chunk: Buffer): void {
    let data = Buffer.concat([this.carry, chunk]);
    for (;;) {
      const at = data.indexOf(this.delimiter);
      if (at === -1) break;
      this.feed(data.subarray(0, at));
      this.close();
      this.current = { head: Buffer.alloc(0), headDone: false, part: { name: null, size: 0 } };
      data = data.subarray(at + this.delimiter.length);
    }
    // Keep what may be the start of a delimiter split across chunks.
    const keep = Math.min(data.length, this.delimiter.length - 1);
    this.feed(data.subarray(0, data.length - keep));
    this.carry = Buffer.from(data.subarray(data.length - keep));
  }

  result(): BodyPart[] {
    return this.found;
  }

  private feed(bytes: Buffer): void {
    const part = this.current;
    if (!part || bytes.length === 0) return;
    if (part.headDone) {
      part.part.size += bytes.length;
      return;
    }
    const total = part.head.length + bytes.length;
    part.head = Buffer.concat([part.head, bytes]).subarray(0, HEAD_BYTES + 4);
    const end = part.head.indexOf('\r\n\r\n');
    if (end === -1) return;
    part.headDone = true;
    this.readHead(part.head.toString('utf8', 0, end), part.part);
    part.part.size += total - end - 4;
  }

  private readHead(head: string, part: BodyPart): void {
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
    part.name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) part.filename = filename;
    const type = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim();
    if (type) part.contentType = type;
  }

  private close(): void {
    const part = this.current;
    if (part?.headDone) this.found.push(part.part);
    this.current = null;
  }
}
