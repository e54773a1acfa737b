import { HookCatchError } from '../errors.js';
import { parseDuration } from '../units.js';

/** A duration a tool takes (`30s`, `10m`, `500ms`; a bare number is seconds), in milliseconds; a bad one is one plain line. */
export function durationArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new HookCatchError(`${name} is a duration such as 30s, 10m or 2h; got "${value}".`);
  return ms;
}
