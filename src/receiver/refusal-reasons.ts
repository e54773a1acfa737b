import { METHODS } from 'node:http';
import type { Refusal } from '../capture/capture.js';
import type { RawHead } from './raw-head.js';

/** A refusal and the status hook-catch answers it with. */
export interface RefusalAnswer extends Refusal {
  status: number;
}

/** What node:http's parser says when it refuses bytes (`clientError`). */
export interface ParserError extends Error {
  code?: string;
  /** llhttp's own words, e.g. "Invalid header value char". */
  reason?: string;
  rawPacket?: Buffer;
}

/**
 * Why the parser refused a request, in plain words, and the answer: 431 for headers over the limit,
 * 501 for a method nobody implements (RFC 9110 §9.1), 505 for HTTP/2 without TLS, 413 for oversized
 * chunk extensions (as node:http answers), 400 for anything else malformed.
 */
export function parserRefusal(error: ParserError, head: RawHead, bytes: Buffer, maxHeaderSize: number): RefusalAnswer {
  const code = typeof error.code === 'string' ? error.code : 'HPE_UNKNOWN';
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code, reason: `headers larger than the ${decimalSize(maxHeaderSize)} limit (--max-header-size)` };
    case 'HPE_INVALID_METHOD':
      return methodRefusal(code, head, bytes);
    case 'HPE_PAUSED_H2_UPGRADE':
      return { status: 505, code, reason: 'HTTP/2 without TLS (prior knowledge); this receiver speaks HTTP/1.1' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code, reason: 'chunk extensions larger than node:http accepts' };
    default:
      return { status: 400, code, reason: `malformed request: ${parserWords(error)}` };
  }
}

function methodRefusal(code: string, head: RawHead, bytes: Buffer): RefusalAnswer {
  const method = head.method;
  if (method !== null) {
    const upper = method.toUpperCase();
    const hint = upper !== method && METHODS.includes(upper) ? ` (methods are case-sensitive: ${upper})` : '';
    return { status: 501, code, reason: `unknown HTTP method ${method}${hint}` };
  }
  // A TLS record starts 0x16 0x03: someone used https:// on this plain-HTTP port.
  if (bytes[0] === 0x16 && bytes[1] === 0x03) {
    return { status: 400, code, reason: 'a TLS handshake: https:// was used on this plain-HTTP port (use http:// here)' };
  }
  return { status: 400, code, reason: 'not an HTTP request: the first bytes are not a request line' };
}

/** llhttp's reason ("Invalid header value char") as the end of a sentence: "invalid header value char". */
function parserWords(error: ParserError): string {
  const words = printable(error.reason || error.message || 'the HTTP parser refused it', 200);
  return words.charAt(0).toLowerCase() + words.slice(1);
}

/** 64000 -> "64 kB", 65536 -> "65.5 kB": decimal units, so that the default reads as the round number it is. */
function decimalSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Number((bytes / 1000).toFixed(1))} kB`;
  return `${Number((bytes / 1_000_000).toFixed(1))} MB`;
}

/** Text a sender chose, made safe for a terminal line: printable ASCII only, at most `max` characters. */
export function printable(text: string, max: number): string {
  const clean = text.replace(/[^ -~]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
