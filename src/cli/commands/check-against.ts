import type { CapturedRequest } from '../../capture/capture.js';
import { shortId } from '../../capture/ids.js';
import type { FieldChange } from '../../capture/shapes.js';
import { DriftModel } from '../../drift/model.js';
import { sampleOf } from '../../drift/sample.js';
import { HookCatchError } from '../../errors.js';
import { bodyOf, createEventTyper } from '../../event-types/event-type.js';
import { fixtureRequest } from '../../fixtures/fixture.js';
import { readFixtures } from '../../fixtures/import.js';
import { openForReading } from '../../store/open-readonly.js';
import type { RequestLog } from '../../store/request-log.js';
import { chalkFor } from '../../terminal/color.js';
import { changesText } from '../../terminal/request-line.js';
import { writeWarnings } from '../output.js';

// `hook-catch check --against DIR`: stored captures compared with a fixture set the way a running
// hook-catch compares a new capture with the earlier ones (payload drift): the fixtures of each
// event type are the model, and each capture is told its new, missing and retyped fields. The
// fixtures are the reference the user chose, so one fixture is enough to miss a field of (live,
// a field is missing only after a few earlier samples all had it).

/** 0 no capture drifts from the fixtures, 1 one does (or an error). */
export const CHECK_AGAINST_EXIT = { same: 0, drifted: 1 } as const;

export interface CheckAgainstOptions {
  dir: string;
  /** A fixture file or a folder of them. */
  against: string;
  /** The captures to check (ids, short ids, `last`); none: every stored one. */
  ids: string[];
  json?: boolean;
}

/** What `check --against --json` prints. */
export interface CheckAgainstReport {
  against: string;
  /** The fixtures that formed the model, and their event types. */
  fixtures: { count: number; eventTypes: string[] };
  /** Captures compared. */
  compared: number;
  /** Those that drift, each with its changes. */
  drifted: { id: string; event: string; changes: FieldChange[] }[];
  /** Captures not compared, counted by why. */
  notCompared: { reason: string; count: number }[];
}

export async function checkAgainst(options: CheckAgainstOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const { model, fixtures, eventTypes } = await fixtureModel(options.against);
  const { log, warnings } = await openForReading(options.dir);
  writeWarnings(stderr, warnings);
  const report: CheckAgainstReport = { against: options.against, fixtures: { count: fixtures, eventTypes }, compared: 0, drifted: [], notCompared: [] };
  const skipped = new Map<string, number>();
  for await (const batch of captures(log, options)) {
    for (const request of batch) {
      const why = compareOne(model, request, report);
      if (why) skipped.set(why, (skipped.get(why) ?? 0) + 1);
    }
  }
  report.notCompared = [...skipped].map(([reason, count]) => ({ reason, count }));
  if (options.json) stdout.write(JSON.stringify(report, null, 2) + '\n');
  else print(report, stdout, stderr);
  return report.drifted.length ? CHECK_AGAINST_EXIT.drifted : CHECK_AGAINST_EXIT.same;
}

/** The model of the fixtures: each one of a known event type with a JSON (or form) body joins its type's. */
async function fixtureModel(path: string) {
  const eventOf = createEventTyper();
  const model = new DriftModel(1);
  const types = new Set<string>();
  let count = 0;
  for (const fixture of await readFixtures(path)) {
    const request = fixtureRequest(fixture);
    const event = eventOf(request);
    const sample = event && sampleOf(bodyOf(request));
    if (!event || !sample) continue;
    model.learn(event.type, sample);
    types.add(event.type);
    count++;
  }
  if (count === 0)
    throw new HookCatchError(
      `No fixture in ${path} has an event type hook-catch can tell and a JSON body, so there is nothing to compare with. Export captures that have one (hook-catch export).`,
    );
  return { model, fixtures: count, eventTypes: [...types].sort() };
}

/** The captures asked for, or every stored one (oldest first, in batches). */
async function* captures(log: RequestLog, options: CheckAgainstOptions): AsyncGenerator<CapturedRequest[]> {
  if (options.ids.length === 0) {
    yield* log.readAll();
    return;
  }
  const found: CapturedRequest[] = [];
  for (const ref of options.ids) {
    const request = await log.get(ref);
    if (!request) throw new HookCatchError(`No stored request matches "${ref}" in ${options.dir}. \`hook-catch list\` shows what is stored.`);
    found.push(request);
  }
  yield found;
}

/** Compares one capture into the report; why it was not compared, or null. */
function compareOne(model: DriftModel, request: CapturedRequest, report: CheckAgainstReport): string | null {
  if (request.outbound || request.poll) return 'not a received webhook';
  if (request.refusal || request.bodyDiscarded) return 'no body kept';
  if (!request.event) return 'no event type';
  if (!model.knows(request.event.type)) return 'no fixture of its event type';
  const sample = sampleOf(bodyOf(request));
  if (!sample) return 'its body is not JSON or a form';
  report.compared++;
  const changes = model.compare(request.event.type, sample);
  if (changes.length) report.drifted.push({ id: request.id, event: request.event.type, changes });
  return null;
}

function print(report: CheckAgainstReport, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void {
  const c = chalkFor(stdout);
  const e = chalkFor(stderr);
  for (const d of report.drifted) stdout.write(`${c.dim(shortId(d.id))}  ${c.bold(d.event)}  ${c.yellow(changesText(d.changes, Infinity))}\n`);
  const { count, eventTypes } = report.fixtures;
  const fixtures = `${count} fixture${count === 1 ? '' : 's'} in ${report.against} (${eventTypes.join(', ')})`;
  const skipped = report.notCompared.map((n) => `${n.count} ${n.reason}`).join(', ');
  const notCompared = skipped ? `; not compared: ${skipped}` : '';
  const compared = `${report.compared} capture${report.compared === 1 ? '' : 's'} compared`;
  const verdict = report.drifted.length
    ? e.yellow(`Drift: ${report.drifted.length} of ${compared} ${report.drifted.length === 1 ? 'differs' : 'differ'} from the ${fixtures}${notCompared}.`)
    : e.green(`No drift: ${compared} with the ${fixtures}${notCompared}.`);
  stderr.write(`${verdict}\n`);
}
