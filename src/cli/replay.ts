import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { describe, HookCatchError } from '../errors.js';
import { decodeBody } from '../capture/capture.js';
import { shortId } from '../capture/ids.js';
import { checkEdits, parseHeader } from '../replay/edits.js';
import { noSuchRequest, replayFromStore } from '../replay/offline.js';
import { notKeptWarning } from '../replay/replay.js';
import { parseTarget } from '../send/target.js';
import type { Edits, ReplayRecord } from '../capture/records.js';
import { readInstance } from '../store/instance-file.js';
import { readFixtures } from '../fixtures/import.js';
import { replayFixture } from '../fixtures/replay-fixture.js';
import { chalkFor } from '../terminal/reporter.js';
import { formatBytes } from '../units.js';
import { DEFAULTS } from '../defaults.js';
import { collect, dirOption, duration } from './args.js';
import { ApiError, clientFor } from './client.js';
import type { ResignRule } from '../signatures/resign.js';
import type { ReplayAnswer, ReplayRequest } from '../wire/replay.js';
import type { Status } from '../wire/status.js';
import { checkVerify, parseVerify } from '../signatures/verify-rules.js';

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

/** What the target's answer means for the exit code: 0 a 2xx, 2 another status, 1 no answer. */
export const REPLAY_EXIT = { answered2xx: 0, unreachable: 1, otherStatus: 2 } as const;
/** Of the answer's body, this much is printed (all of what was kept with `--json`). */
const SHOWN_BYTES = 2000;

/** `hook-catch replay <id> --to URL`: sends a capture again; returns the exit code. */
export async function replayRequest(ref: string, options: ReplayCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const dir = resolve(options.dir);
  if (options.to) parseTarget(options.to, '--to');
  const instance = await readInstance(dir);
  const warn = warner(stderr);
  const record = instance ? await throughInstance(clientFor(instance), ref, options, dir) : await offline(ref, options, dir, warn);
  // Through the instance, its warning comes with the answer: said before the answer is shown.
  if (instance && record.warning) warn(record.warning);
  return report([record], options, stdout, stderr);
}

/** `hook-catch replay --file F|DIR --to URL`: sends fixtures, in file order; returns the exit code of the worst answer. */
export async function replayFiles(path: string, options: ReplayCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const dir = resolve(options.dir);
  const fixtures = await readFixtures(path);
  const instance = await readInstance(dir);
  const forward = instance ? (await clientFor(instance).api<Status>('GET', '/api/status')).forward?.url : undefined;
  const to = options.to ?? forward;
  if (!to) throw noTarget(dir, instance !== null);
  const own = { ports: instance ? [instance.receiverPort, instance.inspectorPort] : [], publicUrl: instance?.publicUrl ?? null };
  const records: ReplayRecord[] = [];
  for (const fixture of fixtures) {
    records.push(await replayFixture(fixture, to, { edits: options.edits, timeoutMs: options.timeoutMs, insecure: options.insecure, own, resign: givenResign(options, 'a fixture'), onWarning: warner(stderr) }));
  }
  return report(records, options, stdout, stderr);
}

/** Prints each replay; the exit code: 1 when any target could not be reached, else 2 when any answer was not 2xx, else 0. */
function report(records: ReplayRecord[], options: ReplayCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  if (options.json) stdout.write(JSON.stringify(records.length === 1 ? records[0] : records, null, 2) + '\n');
  else for (const record of records) print(record, stdout);
  let code: number = REPLAY_EXIT.answered2xx;
  for (const record of records) {
    const { result } = record;
    // A replay that went out but could not be kept says so; the exit code still tells what the app answered.
    const said = notKeptWarning(record) ?? (result.ok ? null : result.error);
    if (said) stderr.write(`hook-catch: ${said}\n`);
    if (!result.ok) code = REPLAY_EXIT.unreachable;
    else if ((result.status < 200 || result.status >= 300) && code === REPLAY_EXIT.answered2xx) code = REPLAY_EXIT.otherStatus;
  }
  return code;
}

async function throughInstance(client: ReturnType<typeof clientFor>, ref: string, options: ReplayCommandOptions, dir: string): Promise<ReplayRecord> {
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

function offline(ref: string, options: ReplayCommandOptions, dir: string, onWarning: (line: string) => void): Promise<ReplayRecord> {
  if (!options.to) throw noTarget(dir, false);
  const resign = givenResign(options, `a capture with no hook-catch running on ${dir}`);
  return replayFromStore(dir, ref, { to: parseTarget(options.to, '--to'), edits: options.edits, timeoutMs: options.timeoutMs, insecure: options.insecure, resign, onWarning });
}

/** A warning line on stderr (a replay the app will likely refuse, said before it is sent). */
function warner(stderr: NodeJS.WritableStream): (line: string) => void {
  return (line) => stderr.write(`hook-catch: warning: ${line}\n`);
}

/** `--resign` with its secret given; without one there is no running `--verify` to take it from. */
function givenResign(options: ReplayCommandOptions, what: string): ResignRule | undefined {
  if (options.resign !== true) return options.resign;
  throw new HookCatchError(`--resign for ${what} needs the secret: --resign stripe:SECRET (or '$NAME' for an environment variable; a scheme alone reads its own, such as STRIPE_WEBHOOK_SECRET).`);
}

function noTarget(dir: string, running: boolean): HookCatchError {
  const why = running ? 'the hook-catch running on it does not --forward anywhere' : `no hook-catch is running on ${dir} to take its --forward URL from`;
  return new HookCatchError(`Where to? Give --to <url>, such as --to http://localhost:3000 (${why}).`);
}

/** `→ POST http://…/webhook  (replay of 7hz2kq)`, `← 200 OK in 12 ms, 35 B`, then the start of the body. */
function print(record: ReplayRecord, stdout: NodeJS.WritableStream): void {
  const c = chalkFor(stdout);
  const what = `replay of ${shortId(record.of)}${record.edited ? ', edited' : ''}${record.resigned ? `, re-signed (${record.resigned})` : ''}`;
  const lines = [`${c.bold('→')} ${c.bold(record.sent.method)} ${record.to}  ${c.dim(`(${what})`)}`];
  const { result } = record;
  if (!result.ok) {
    lines.push(`${c.bold('←')} ${c.red('no answer')}  ${c.dim(`after ${Math.round(result.latencyMs)} ms`)}`);
    stdout.write(lines.join('\n') + '\n');
    return;
  }
  const color = result.status < 300 ? c.green : result.status < 500 ? c.yellow : c.red;
  const type = result.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  lines.push(`${c.bold('←')} ${color(`${result.status} ${result.statusText}`.trim())}  ${c.dim(`in ${Math.round(result.latencyMs)} ms, ${formatBytes(result.bodySize)}${type ? `, ${type}` : ''}`)}`);
  const body = decodeBody(result);
  if (body.length) {
    const text = result.bodyEncoding === 'utf8' ? body.toString('utf8', 0, SHOWN_BYTES) : c.dim(`(${formatBytes(result.bodySize)} of binary; --json has it as base64)`);
    lines.push(text);
    if (result.bodyEncoding === 'utf8' && result.bodySize > SHOWN_BYTES) lines.push(c.dim(`… first ${formatBytes(SHOWN_BYTES)} of ${formatBytes(result.bodySize)} shown; --json for all of it`));
  }
  stdout.write(lines.join('\n') + '\n');
}

async function editsOf(flags: Record<string, any>): Promise<Edits> {
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

/** `--resign` alone: true; `--resign stripe:SECRET`, `--resign '$NAME'`, `--resign stripe`: that rule. */
function resignFlag(value: string | true | undefined): true | ResignRule | undefined {
  if (value === undefined || value === true) return value;
  return resignRule(value);
}

/** `stripe:SECRET`, `'$NAME'`, `stripe` (its own variable) as a rule to sign with. */
export function resignRule(value: string): ResignRule {
  const input = parseVerify(value, '--resign');
  if (input.path) throw new HookCatchError('--resign takes SCHEME:SECRET, without a path.');
  return checkVerify(input);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function replayCommand(): Command {
  return new Command('replay')
    .description("send a stored request again to your app: same method, headers and exact body bytes (signatures still verify)")
    .argument('[id]', 'a request id, its short id, or "last" (or --file)')
    .option('-f, --file <path>', 'send fixtures instead: a hook-catch/fixture@1 file, or every *.json in a folder')
    .option('-t, --to <url>', "where to send it; the captured path and query go below this URL's path (default: the running instance's --forward URL)")
    .addOption(new Option('--timeout <duration>', 'how long to wait for the answer').default(DEFAULTS.sendTimeoutMs, '10s').argParser(duration))
    .option('--insecure', 'accept a self-signed TLS certificate from an https target')
    .option('--json', 'print the whole replay record as JSON (the answer in full)')
    .addOption(dirOption())
    .optionsGroup('Edit before sending (the capture itself never changes):')
    .option('-X, --method <method>', 'another method')
    .option('--set-header <name:value>', 'set a header (replacing one of that name) or add it (repeatable); a Host set is sent as given', collect)
    .option('--remove-header <name>', 'leave a header out (repeatable)', collect)
    .option('--body-file <file>', 'send this file as the body instead ("-" reads stdin); Content-Length follows it')
    .option('--resign [scheme:secret]', "sign what is sent again, timestamped now, so your app's check passes on an edited body: alone, with the running hook-catch's --verify secret; or stripe:SECRET, '$NAME', a scheme alone (its own variable)")
    .addHelpText('after', '\nExit status: 0 the target answered 2xx, 2 it answered another status, 1 it could not be reached\n(with --file, the worst of the fixtures sent).')
    .action(async (id: string | undefined, flags) => {
      const edits = await editsOf(flags);
      const options = { dir: flags.dir, to: flags.to, timeoutMs: flags.timeout, insecure: flags.insecure, json: flags.json, edits, resign: resignFlag(flags.resign) };
      if (flags.file && id) throw new HookCatchError('Give a request id or --file, not both.');
      if (!flags.file && !id) throw new HookCatchError('Which request? Give its id (or "last"), or --file <fixture or folder>.');
      process.exitCode = flags.file
        ? await replayFiles(flags.file, options, process.stdout, process.stderr)
        : await replayRequest(id!, options, process.stdout, process.stderr);
    });
}
