import { eventFilter } from '../capture/event-match.js';
import type { CapturedRequest } from '../capture/capture.js';
import type { SchemaVerdict } from '../capture/shapes.js';
import { HookCatchError } from '../errors.js';
import { openForReading } from '../store/open-readonly.js';
import { checkCapture } from './check.js';
import type { Spec } from './spec.js';

/** One stored capture checked (`hook-catch check`). */
export interface CheckedCapture {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  /** Its event type, when one was told as it arrived. */
  event: string | null;
  schema: SchemaVerdict;
}

export interface StoredCheck {
  items: CheckedCapture[];
  /** Stored requests that are not webhooks (provider-port calls, polled answers, refused requests): not checked. */
  skipped: number;
}

export interface StoredCheckOptions {
  dir: string;
  /** Ids, short ids or `last`; none: every stored capture. */
  refs: string[];
  /** Only these event types (a name, a family, a `*` pattern). */
  events: string[];
}

/** Checks stored captures against a spec, oldest first, straight from the store (no running instance needed). */
export async function checkStored(spec: Spec, options: StoredCheckOptions): Promise<StoredCheck> {
  const { log } = await openForReading(options.dir);
  const wanted = eventFilter(options.events);
  const result: StoredCheck = { items: [], skipped: 0 };
  const take = (request: CapturedRequest) => {
    if (wanted && !wanted(request.event)) return;
    const schema = checkCapture(spec, request);
    if (!schema) return void result.skipped++;
    const { id, receivedAt, method, url } = request;
    result.items.push({ id, receivedAt, method, url, event: request.event?.type ?? null, schema });
  };
  if (options.refs.length) {
    const ids = options.refs.map((ref) => {
      const id = log.resolveId(ref);
      if (!id) throw new HookCatchError(`No stored request matches "${ref}" in ${options.dir}. \`hook-catch list\` shows what is stored.`);
      return id;
    });
    for (const request of await log.getMany(ids)) take(request);
  } else {
    for await (const batch of log.readAll()) for (const request of batch) take(request);
  }
  return result;
}
