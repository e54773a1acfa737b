import { isUtf8 } from 'node:buffer';
import type { EncodedBody } from './shapes.js';

export type { EncodedBody };

/** A body in JSON: UTF-8 text when it is valid UTF-8 (round-trips byte for byte), base64 otherwise. */

export function encodeBody(body: Buffer): EncodedBody {
  return isUtf8(body) ? { body: body.toString('utf8'), bodyEncoding: 'utf8' } : { body: body.toString('base64'), bodyEncoding: 'base64' };
}

export function decodeBody(encoded: EncodedBody): Buffer {
  return Buffer.from(encoded.body, encoded.bodyEncoding);
}
