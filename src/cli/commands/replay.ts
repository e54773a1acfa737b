import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OptionValues } from 'commander';
import { describe, HookCatchError } from '../../errors.js';
import { checkEdits } from '../../replay/edits.js';
import { parseHeader } from '../../capture/headers.js';
import { noSuchRequest, replayFromStore } from '../../replay/offline.js';
import { parseTarget } from '../../send/target.js';
import type { Edits, ReplayRecord } from '../../capture/records.js';
import { readFixtures } from '../../fixtures/import.js';
import { replayFixture } from '../../fixtures/replay-fixture.js';
import { writeWarnings } from '../output.js';
import { ApiError, type Client } from '../../client/client.js';
import { runningOn } from '../../client/instance.js';
import { forwardUrlOf, ownAddresses, withInstanceOrStore, type OfflineStore } from '../instance-or-store.js';
import type { ResignRule } from '../../signatures/resign.js';
import { report } from './replay-report.js';
import type { ReplayAnswer, ReplayRequest } from '../../wire/replay.js';

export interface ReplayCommandOptions {
  dir: string;
  to?: string;
  timeoutMs: number;
  insecure?: boolean;
  json?: boolean;
  edits: Edits;
  /** `--resign`: true for the running instance's --verify secret, or a rule given with it. */
  resign?: true | ResignRule;
}

/** `hook-catch replay <id> --to URL`: sends a capture again; returns the exit code. */
export async function replayRequest(ref: string, options: ReplayCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const dir = resolve(options.dir);
  if (options.to) parseTarget(options.to, '--to');
  const warn = warner(stderr);
  const record = await withInstanceOrStore(dir, {
    online: async (client) => {
      const record = await throughInstance(client, ref, options, dir);
      // Through the instance, its warning comes with the answer: said before the answer is shown.
      if (record.warning) warn(record.warning);
      return record;
    },
    offline: (store) => offline(store, ref, options, warn),
  });
  return report([record], options.json, stdout, stderr);
}

/** `hook-catch replay --file F|DIR --to URL`: sends fixtures, in file order; returns the exit code of the worst answer. */
export async function replayFiles(path: string, options: ReplayCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const dir = resolve(options.dir);
  const fixtures = await readFixtures(path);
  const client = await runningOn(dir);
  const forward = client ? await forwardUrlOf(client) : undefined;
  const to = options.to ?? forward;
  if (!to) throw noTarget(dir, client !== null);
  const own = ownAddresses(client);
  const records: ReplayRecord[] = [];
  for (const fixture of fixtures) {
    records.push(
      await replayFixture(fixture, to, {
        edits: options.edits,
        timeoutMs: options.timeoutMs,
        insecure: options.insecure,
        own,
        resign: givenResign(options, 'a fixture'),
        onWarning: warner(stderr),
      }),
    );
  }
  return report(records, options.json, stdout, stderr);
}

async function throughInstance(client: Client, ref: string, options: ReplayCommandOptions, dir: string): Promise<ReplayRecord> {
  const { body, ...edits } = options.edits;
  const payload = {
    to: options.to,
    timeoutMs: options.timeoutMs,
    insecure: options.insecure,
    ...edits,
    ...(body && { body: body.toString('base64'), bodyEncoding: 'base64' }),
    ...(options.resign && { resign: options.resign }),
  } satisfies ReplayRequest;
  try {
    return (await client.api<ReplayAnswer>('POST', `/api/requests/${encodeURIComponent(ref)}/replay`, payload)).replay;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw noSuchRequest(ref, dir);
    if (error instanceof ApiError && /^Where to\?/.test(error.message)) throw noTarget(dir, true);
    throw error;
  }
}

function offline(store: OfflineStore, ref: string, options: ReplayCommandOptions, onWarning: (line: string) => void): Promise<ReplayRecord> {
  if (!options.to) throw noTarget(store.dir, false);
  const resign = givenResign(options, `a capture with no hook-catch running on ${store.dir}`);
  const sending = { to: parseTarget(options.to, '--to'), edits: options.edits, timeoutMs: options.timeoutMs, insecure: options.insecure, resign, onWarning };
  return store.write('Nothing was sent', (log) => replayFromStore(log, store.dir, ref, sending));
}

/** A warning line on stderr (a replay the app will likely refuse, said before it is sent). */
function warner(stderr: NodeJS.WritableStream): (line: string) => void {
  return (line) => writeWarnings(stderr, [line]);
}

/** `--resign` with its secret given; without one there is no running `--verify` to take it from. */
function givenResign(options: ReplayCommandOptions, what: string): ResignRule | undefined {
  if (options.resign !== true) return options.resign;
  throw new HookCatchError(
    `--resign for ${what} needs the secret: --resign stripe:SECRET (or '$NAME' for an environment variable; a scheme alone reads its own, such as STRIPE_WEBHOOK_SECRET).`,
  );
}

function noTarget(dir: string, running: boolean): HookCatchError {
  const why = running ? 'the hook-catch running on it does not --forward anywhere' : `no hook-catch is running on ${dir} to take its --forward URL from`;
  return new HookCatchError(`Where to? Give --to <url>, such as --to http://localhost:3000 (${why}).`);
}

export async function editsOf(flags: OptionValues): Promise<Edits> {
  const edits: Edits = {};
  if (flags.method) edits.method = String(flags.method).toUpperCase();
  if (flags.setHeader?.length) edits.setHeaders = flags.setHeader.map((text: string) => parseHeader(text, '--set-header'));
  if (flags.removeHeader?.length) edits.removeHeaders = flags.removeHeader;
  if (flags.bodyFile) {
    try {
      edits.body = flags.bodyFile === '-' ? await readStdin() : await readFile(flags.bodyFile);
    } catch (error) {
      throw new HookCatchError(`Cannot read --body-file ${flags.bodyFile}: ${describe(error)}.`);
    }
  }
  return checkEdits(edits);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
