import { HookCatchError } from '../errors.js';
import { withWritableStore } from '../store/writable.js';
import { replayCapture, type ReplayOptions } from './replay.js';
import type { ReplayRecord } from '../capture/records.js';

/** A replay with no hook-catch running on `dir`: the capture is read, sent, and its replay kept in the store. */
export function replayFromStore(dir: string, ref: string, options: Omit<ReplayOptions, 'own'>): Promise<ReplayRecord> {
  return withWritableStore(dir, 'Nothing was sent', async (log) => {
    const request = await log.get(ref);
    if (!request) throw noSuchRequest(ref, dir);
    return replayCapture(log, request, { ...options, own: { ports: [], publicUrl: null } });
  });
}

export function noSuchRequest(ref: string, dir: string): HookCatchError {
  return new HookCatchError(`No stored request matches "${ref}" in ${dir}. \`hook-catch list\` shows what is stored.`);
}
