import { resolve } from 'node:path';
import { Command } from 'commander';
import { encodeBody } from '../receiver/capture.js';
import { createIdGenerator } from '../receiver/ids.js';
import { importFixtures, readFixtures } from '../fixtures/import.js';
import type { LoadedFixture } from '../fixtures/fixture.js';
import { readInstance } from '../store/instance-file.js';
import { withWritableStore } from '../store/writable.js';
import { dirOption } from './args.js';
import { clientFor } from './client.js';

/** Fixtures sent to a running instance per call. */
const BATCH = 100;

/** `hook-catch import F|DIR`: fixtures back into a store, through the running instance when there is one; returns the new ids. */
export async function importCommandRun(path: string, options: { dir: string; json?: boolean }, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<string[]> {
  const fixtures = await readFixtures(path);
  const dir = resolve(options.dir);
  const instance = await readInstance(dir);
  let ids: string[] = [];
  if (instance) {
    const client = clientFor(instance);
    for (let i = 0; i < fixtures.length; i += BATCH) {
      const batch = fixtures.slice(i, i + BATCH).map(asJson);
      ids.push(...(await client.api<{ ids: string[] }>('POST', '/api/requests/import', { fixtures: batch })).ids);
    }
  } else {
    ids = await withWritableStore(dir, 'The fixtures were not imported', async (log) => (await importFixtures(log, fixtures, createIdGenerator(Date.now, log.lastId))).map((r) => r.id));
  }
  if (options.json) stdout.write(JSON.stringify({ ids }, null, 2) + '\n');
  else for (const id of ids) stdout.write(id + '\n');
  const where = instance ? `the hook-catch running on ${options.dir}` : options.dir;
  stderr.write(`hook-catch: imported ${ids.length} fixture${ids.length === 1 ? '' : 's'} into ${where}\n`);
  return ids;
}

/** A loaded fixture as the API takes it (the body back to text or base64). */
function asJson(fixture: LoadedFixture): object {
  const { body, file: _file, ...rest } = fixture;
  return { ...rest, ...encodeBody(body) };
}

export function importCommand(): Command {
  return new Command('import')
    .description('put fixtures (a file, or every *.json in a folder) back into the store, as new captures')
    .argument('<path>', 'a fixture file or a folder of them')
    .option('--json', 'print the new ids as JSON')
    .addOption(dirOption())
    .action(async (path: string, flags) => {
      await importCommandRun(path, { dir: flags.dir, json: flags.json }, process.stdout, process.stderr);
    });
}
