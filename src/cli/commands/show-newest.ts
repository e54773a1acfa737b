import { HookCatchError } from '../../errors.js';
import { readNewest } from '../../store/newest.js';

/**
 * `hook-catch show last --body`: the newest request's exact bytes, read from the end of the log
 * however many are stored (show.ts opens the log, reading every line, for everything else).
 */
export async function writeNewestBody(dir: string, stdout: NodeJS.WritableStream): Promise<void> {
  const newest = await readNewest(dir);
  if (!newest) throw noSuchRequest('last', dir);
  stdout.write(newest.body);
}

export function noSuchRequest(ref: string, dir: string): HookCatchError {
  return new HookCatchError(
    `No stored request matches "${ref}" in ${dir}, and no job has that id. \`hook-catch list\` shows what is stored, \`hook-catch jobs\` the jobs.`,
  );
}
