import { join } from 'node:path';
import type { CapturedRequest } from '../capture/capture.js';
import type { DriftInfo } from '../capture/shapes.js';
import { describe } from '../errors.js';
import { bodyOf } from '../event-types/event-type.js';
import { PrivateJsonFile } from '../store/private-json-file.js';
import type { RequestLog } from '../store/request-log.js';
import { DriftModel, type ModelDocument } from './model.js';
import { sampleOf } from './sample.js';

// Drift in a running hook-catch: each received capture of a known event type is compared with the
// earlier ones after it was stored and answered (never on the answer's path), its drift kept as a
// note beside it and announced. The model is kept in <dir>/drift.json, so that a restart knows the
// earlier samples and what was already said; when that file is missing (a store from before, or it
// was damaged) the model is built again from the stored captures, in the background.

export const DRIFT_FILE = 'drift.json';
/** Captures waiting while the model is built again at most; later ones are not compared (nor learned). */
const MAX_WAITING = 1000;
/** The model is written at most this often while captures come (and once more on close). */
const SAVE_EVERY_MS = 1000;

export interface DriftWatchDeps {
  store: RequestLog;
  dir: string;
  fsync: boolean;
  /** A capture drifted: its drift is in the store (a note beside it). */
  onDrift: (id: string, drift: DriftInfo) => void;
  warning: (text: string) => void;
}

export interface DriftWatch {
  /** The route's step: compares a stored, answered capture (in the background). */
  observe: (request: CapturedRequest) => void;
  /** The model is loaded (or built again from the store). */
  ready: Promise<void>;
  /** Waits for what is under way and writes the model. */
  close: () => Promise<void>;
}

/** Whether drift looks at a capture: one received (not a call to the provider, a poll's answer or an import) with an event type and a body. */
export function comparable(request: CapturedRequest): request is CapturedRequest & { event: NonNullable<CapturedRequest['event']> } {
  return !!request.event && !request.outbound && !request.poll && !request.imported && !request.refusal && !request.bodyDiscarded;
}

export function watchDrift(deps: DriftWatchDeps): DriftWatch {
  const file = new PrivateJsonFile<ModelDocument>(join(deps.dir, DRIFT_FILE), deps.fsync, (value) => value as ModelDocument);
  let model = new DriftModel();
  let waiting: CapturedRequest[] | null = [];
  let work = Promise.resolve();
  let changed = false;
  let saveTimer: NodeJS.Timeout | null = null;
  let saveFailed = false;
  /** Set by close(): a model still being built is given up (and not saved: the next start builds it again). */
  let closing = false;

  const save = async () => {
    saveTimer = null;
    if (!changed) return;
    changed = false;
    await file.write(model.toDocument()).catch((error: unknown) => {
      if (!saveFailed) deps.warning(`the payload drift model could not be saved in ${deps.dir}: ${describe(error)}. Drift is still told while this runs.`);
      saveFailed = true;
    });
  };
  const scheduleSave = () => {
    changed = true;
    saveTimer ??= setTimeout(() => void (work = work.then(save)), SAVE_EVERY_MS).unref();
  };

  const compare = (request: CapturedRequest) => {
    const sample = sampleOf(bodyOf(request));
    if (!sample) return;
    const drift = model.observe(request.event!.type, sample);
    scheduleSave();
    if (!drift) return;
    work = work.then(() =>
      deps.store.appendAnalysis(request.id, { drift }).then(
        () => deps.onDrift(request.id, drift),
        (error: unknown) => deps.warning(`the drift of ${request.id} could not be kept: ${describe(error)}.`),
      ),
    );
  };

  const compareSafely = (request: CapturedRequest) => {
    try {
      compare(request);
    } catch (error) {
      deps.warning(`the drift of ${request.id} could not be told: ${describe(error)}.`);
    }
  };

  const ready = load(file, deps.store, deps.warning, () => closing).then((loaded) => {
    if (closing) return;
    model = loaded.model;
    if (loaded.builtUpTo !== undefined) scheduleSave();
    const queued = waiting!;
    waiting = null;
    // A capture stored while the model was built may be in it already: it is not compared with itself.
    for (const request of queued) if (loaded.builtUpTo === undefined || request.id > loaded.builtUpTo) compareSafely(request);
  });
  work = ready;

  return {
    observe(request) {
      if (!comparable(request)) return;
      if (waiting) {
        if (waiting.length < MAX_WAITING) waiting.push(request);
        return;
      }
      // After the route's other steps (the terminal's line first, then its drift), in arrival order.
      work = work.then(() => compareSafely(request));
    },
    ready,
    async close() {
      closing = true;
      await work;
      if (saveTimer) clearTimeout(saveTimer);
      await save();
    },
  };
}

/** The model kept in drift.json, or built again from the stored captures when there is none (or it is damaged). */
async function load(
  file: PrivateJsonFile<ModelDocument>,
  store: RequestLog,
  warning: (text: string) => void,
  stopped: () => boolean,
): Promise<{ model: DriftModel; builtUpTo?: string }> {
  try {
    const kept = await file.read();
    if (kept) return { model: DriftModel.fromDocument(kept) };
  } catch (error) {
    warning(`${DRIFT_FILE} could not be read (${describe(error)}); the payload drift model is built again from the stored requests.`);
  }
  const builtUpTo = store.lastId ?? '';
  try {
    return { model: await buildFrom(store, stopped), builtUpTo };
  } catch (error) {
    warning(`the payload drift model could not be built from the stored requests (${describe(error)}); it starts empty.`);
    return { model: new DriftModel(), builtUpTo };
  }
}

/**
 * Every stored capture drift looks at joins the model, oldest first; drift already kept beside them
 * counts as said. It reads those captures of the store (at most --max-requests; the index tells which,
 * the others are not read): 10,000 take about half a second, in batches, between which the receiver
 * goes on. `stopped`: give up (hook-catch is closing).
 */
export async function buildFrom(store: RequestLog, stopped: () => boolean = () => false): Promise<DriftModel> {
  const model = new DriftModel();
  for await (const batch of store.readAll(true)) {
    if (stopped()) break;
    for (const request of batch) {
      if (!comparable(request)) continue;
      const sample = sampleOf(bodyOf(request));
      if (sample) model.learn(request.event.type, sample);
      if (request.drift) model.said(request.drift);
    }
  }
  return model;
}
