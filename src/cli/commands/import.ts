import { resolve } from 'node:path';
import { DEFAULTS } from '../../defaults.js';
import { FixtureRefused } from '../../fixtures/check.js';
import { fixtureFileSize, loadFixture } from '../../fixtures/fixture.js';
import { fixtureFiles, importFixtures } from '../../fixtures/import.js';
import { createIdGenerator } from '../../capture/ids.js';
import type { RequestLog } from '../../store/request-log.js';
import { ApiError, type Client } from '../../client/client.js';
import { withInstanceOrStore } from '../instance-or-store.js';
import type { ImportAnswer } from '../../wire/requests.js';

/** What import made of the files: the new ids, in file order, and the files it refused, each with its line. */
interface Imported {
  ids: string[];
  refused: { file: string; error: string }[];
}

/**
 * `hook-catch import F|DIR`: fixtures back into a store, through the running instance when there is
 * one. Each file is checked and imported on its own: a bad one is refused (one line naming it and
 * what is wrong) and the others go in; the command then exits 1.
 */
export async function importCommandRun(
  path: string,
  options: { dir: string; json?: boolean; maxBody?: number },
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<Imported> {
  const files = await fixtureFiles(path);
  const { imported, where } = await withInstanceOrStore(resolve(options.dir), {
    online: async (client) => ({ imported: await importThrough(client, files), where: `the hook-catch running on ${options.dir}` }),
    offline: async (store) => ({
      imported: await store.write('The fixtures were not imported', (log) => importInto(log, files, options.maxBody ?? DEFAULTS.maxBody)),
      where: options.dir,
    }),
  });
  const { ids, refused } = imported;
  for (const { error } of refused) stderr.write(`hook-catch: ${error}\n`);
  if (options.json) stdout.write(JSON.stringify(imported, null, 2) + '\n');
  else for (const id of ids) stdout.write(id + '\n');
  const left = refused.length ? `; ${refused.length} of ${files.length} file${files.length === 1 ? ' was' : 's were'} refused (above)` : '';
  stderr.write(`hook-catch: imported ${ids.length} fixture${ids.length === 1 ? '' : 's'} into ${where}${left}\n`);
  return imported;
}

/** Each file's bytes as they are, streamed to the instance's API, one request per file; the instance checks them. */
async function importThrough(client: Client, files: string[]): Promise<Imported> {
  const imported: Imported = { ids: [], refused: [] };
  for (const file of files) {
    try {
      const size = await fixtureFileSize(file);
      imported.ids.push(...(await client.upload<ImportAnswer>(`/api/requests/import?name=${encodeURIComponent(file)}`, file, size)).ids);
    } catch (error) {
      // 400 and 413 are the instance refusing this file; anything else stops the import.
      if (error instanceof FixtureRefused) imported.refused.push({ file, error: error.notImported() });
      else if (error instanceof ApiError && (error.status === 400 || error.status === 413)) imported.refused.push({ file, error: error.message });
      else throw error;
    }
  }
  return imported;
}

/** Each file checked (its body within `maxBody`) and stored, one after the other: one file at a time is in memory. */
async function importInto(log: RequestLog, files: string[], maxBody: number): Promise<Imported> {
  const imported: Imported = { ids: [], refused: [] };
  const nextId = createIdGenerator(Date.now, log.lastId);
  for (const file of files) {
    try {
      const [request] = await importFixtures(log, [await loadFixture(file, maxBody)], nextId);
      imported.ids.push(request!.id);
    } catch (error) {
      if (!(error instanceof FixtureRefused)) throw error;
      imported.refused.push({ file, error: error.notImported() });
    }
  }
  return imported;
}
