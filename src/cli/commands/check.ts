import { HookCatchError } from '../../errors.js';
import { checkAgainst } from './check-against.js';
import { checkSchema } from './check-schema.js';

/**
 * `hook-catch check`: stored captures against a reference, offline, for CI: your spec (`--schema`,
 * check-schema.ts) and your fixtures (`--against`, payload drift: check-against.ts), or both.
 * Returns the exit code.
 */
export async function check(ids: string[], flags: { dir: string; schema?: string; against?: string; event?: string[]; json?: boolean }): Promise<number> {
  if (!flags.schema && !flags.against) {
    throw new HookCatchError('Give what to check against: hook-catch check --schema openapi.yaml (your spec), or --against test/fixtures (your fixtures).');
  }
  if (flags.schema && flags.against && flags.json) {
    throw new HookCatchError('--json prints one report: give --schema or --against, one at a time.');
  }
  let code = 0;
  if (flags.schema) {
    code = await checkSchema({ dir: flags.dir, schema: flags.schema, refs: ids, events: flags.event ?? [], json: flags.json }, process.stdout, process.stderr);
  }
  if (flags.against) {
    code = Math.max(code, await checkAgainst({ dir: flags.dir, against: flags.against, ids, json: flags.json }, process.stdout, process.stderr));
  }
  return code;
}
