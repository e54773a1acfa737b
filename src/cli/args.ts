import { InvalidArgumentError, Option } from 'commander';
import { HookCatchError } from '../errors.js';
import { DEFAULTS } from '../defaults.js';
import { parseBytes, parseDuration } from '../units.js';

// Flag values to option values; each rejects what it cannot read with a line that says what to give.

export function wholeNumber(flag: string, min = 0) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${flag} takes a whole number of at least ${min}.`);
    return Number(value);
  };
}

export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535 (0 = any free port).');
  return n;
}

export function size(value: string): number {
  const n = parseBytes(value);
  if (Number.isNaN(n)) throw new InvalidArgumentError('give a size such as 512kb, 10mb or 1000000 (bytes; 1 kB = 1,000 bytes).');
  return n;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function duration(value: string): number {
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new InvalidArgumentError('give a duration such as 30s, 10m, 2h or 7d.');
  return ms;
}

/** A duration that may be 0, meaning none (`capture --settle 0`). */
export function durationOrNone(value: string): number {
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError('give a duration such as 3s, 500ms or 10s, or 0 for none.');
  return ms;
}

/** `--dir`, the same on every command. */
export const dirOption = () => new Option('-d, --dir <path>', 'folder holding the store').default(DEFAULTS.dir);

/** A library check as a flag parser: the same rule, its message naming the flag. */
export function checkedBy<T>(check: (value: string, name: string) => T, flag: string) {
  return (value: string): T => {
    try {
      return check(value, flag);
    } catch (error) {
      if (error instanceof HookCatchError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** The same, for a flag that may be given more than once. */
export function collectChecked(check: (value: string, name: string) => unknown, flag: string) {
  const one = checkedBy(check, flag);
  return (value: string, previous: string[] = []) => (one(value), [...previous, value]);
}

/** `--since`: a duration back from now (`2h`), or a time (`2026-05-01T09:00:00Z`); the milliseconds back from now either way. */
export function sinceDuration(value: string): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new InvalidArgumentError(`"${value}" is not a time: give one such as 2026-05-01T09:00:00Z, or a duration such as 2h.`);
    if (at > Date.now()) throw new InvalidArgumentError(`${value} is in the future: give a time that has passed, or a duration such as 2h.`);
    return Date.now() - at;
  }
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new InvalidArgumentError('give a duration such as 30m, 2h or 7d, or a time such as 2026-05-01T09:00:00Z.');
  return ms;
}
