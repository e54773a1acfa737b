import { HookCatchError } from '../../errors.js';
import { diffCaptures, type Comparable } from '../../diff/captures.js';
import { fixtureRequest, loadFixture } from '../../fixtures/fixture.js';
import { openForReading } from '../../store/open-readonly.js';
import type { RequestLog } from '../../store/request-log.js';
import { chalkFor } from '../../terminal/color.js';
import { DIFF_EXIT } from './diff-exit.js';
import { describeDiff } from './diff-report.js';

export interface DiffCommandOptions {
  dir: string;
  headers?: boolean;
  json?: boolean;
}

/** `hook-catch diff <a> <b>`: what differs between two captures (or fixture files); returns the exit code. */
export async function diffCommandRun(refs: [string, string], options: DiffCommandOptions, stdout: NodeJS.WritableStream): Promise<number> {
  const [a, b] = await operands(refs, options.dir);
  const diff = diffCaptures(a, b, { headers: options.headers });
  stdout.write(options.json ? JSON.stringify(diff, null, 2) + '\n' : describeDiff(diff, chalkFor(stdout)));
  return diff.equal ? DIFF_EXIT.same : DIFF_EXIT.differ;
}

/** An operand that names a file (it holds a / or ends in .json) rather than a stored request. */
export const isFilePath = (ref: string) => /[\\/]/.test(ref) || ref.toLowerCase().endsWith('.json');

/**
 * Each operand as a capture: a fixture file read and checked, or a stored request read from the
 * store (beside a running instance or not, as `show` reads it; the store is opened once, if at all).
 */
async function operands(refs: [string, string], dir: string): Promise<[Comparable, Comparable]> {
  let log: RequestLog | null = null;
  const read = async (ref: string): Promise<Comparable> => {
    if (isFilePath(ref)) return { ...fixtureRequest(await loadFixture(ref)), file: ref };
    log ??= (await openForReading(dir)).log;
    const request = await log.get(ref);
    if (!request) {
      throw new HookCatchError(
        `No stored request matches "${ref}" in ${dir}. \`hook-catch list\` shows what is stored; a fixture file is named by a path with a / or ending in .json.`,
      );
    }
    return request;
  };
  return [await read(refs[0]), await read(refs[1])];
}
