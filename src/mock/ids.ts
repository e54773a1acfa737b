import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();

/**
 * A fresh job id of the recorded id's form, so that an app that checks ids (a UUID, 24 hex
 * characters) takes it: a UUID gets a UUID (in the same case); otherwise a prefix of letters and a
 * separator (`job_`) is kept and the rest keeps its length and alphabet: hex stays hex, digits stay
 * digits, a letter stays a letter of the same case; separators stay where they are.
 */
export function freshIdLike(recorded: string): string {
  if (UUID.test(recorded)) return recorded === recorded.toUpperCase() ? randomUUID().toUpperCase() : randomUUID();
  const prefix = /^[A-Za-z]+[_:.-]/.exec(recorded)?.[0] ?? '';
  const rest = recorded.slice(prefix.length);
  if (/^[0-9a-f]+$/.test(rest) && /[a-f]/.test(rest)) return prefix + hex(rest.length);
  if (/^[0-9A-F]+$/.test(rest) && /[A-F]/.test(rest)) return prefix + hex(rest.length).toUpperCase();
  return prefix + [...rest].map(sameClass).join('');
}

function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

function sameClass(char: string): string {
  const alphabet = DIGITS.includes(char) ? DIGITS : LOWER.includes(char) ? LOWER : UPPER.includes(char) ? UPPER : null;
  return alphabet ? alphabet[randomInt(alphabet.length)]! : char;
}

/** Hands out fresh ids, never one already given (nor the recorded one): each job is told apart by it. */
export class IdIssuer {
  private readonly issued = new Set<string>();

  next(recorded: string): string {
    for (let tries = 0; tries < 1000; tries++) {
      const id = freshIdLike(recorded);
      if (id !== recorded && !this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
    // A short id of a small alphabet runs out of fresh values: a longer one is still told apart.
    const id = `${recorded}-${this.issued.size + 1}`;
    this.issued.add(id);
    return id;
  }
}

/** `text` with every `from` replaced by `to`. */
export function replaceText(text: string, from: string, to: string): string {
  return from === to ? text : text.split(from).join(to);
}

/** `bytes` with every occurrence of `from`'s UTF-8 bytes replaced by `to`'s (on the bytes: anything else stays as it was). */
export function replaceBytes(bytes: Buffer, from: string, to: string): Buffer {
  if (from === to || bytes.indexOf(from) === -1) return bytes;
  const latin = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
  return Buffer.from(replaceText(bytes.toString('latin1'), latin(from), latin(to)), 'latin1');
}

/** Header pairs with the id replaced in every value. */
export function replaceInHeaders(headers: [string, string][], from: string, to: string): [string, string][] {
  return headers.map(([name, value]) => [name, replaceText(value, from, to)]);
}
