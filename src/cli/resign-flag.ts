import { HookCatchError } from '../errors.js';
import type { ResignRule } from '../signatures/resign.js';
import { checkVerify, parseVerify } from '../signatures/verify-rules.js';

/** `--resign` alone: true; `--resign stripe:SECRET`, `--resign '$NAME'`, `--resign stripe`: that rule. */
export function resignFlag(value: string | true | undefined): true | ResignRule | undefined {
  if (value === undefined || value === true) return value;
  return resignRule(value);
}

/** `stripe:SECRET`, `'$NAME'`, `stripe` (its own variable) as a rule to sign with. */
export function resignRule(value: string): ResignRule {
  const input = parseVerify(value, '--resign');
  if (input.path) throw new HookCatchError('--resign takes SCHEME:SECRET, without a path.');
  return checkVerify(input);
}
