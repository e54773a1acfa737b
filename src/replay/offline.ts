import { HookCatchError } from '../errors.js';
import type { RequestLog } from '../store/request-log.js';
import { replayCapture, type ReplayOptions } from './replay.js';
import type { ReplayRecord } from '../capture/records.js';

/** A replay with no hook-catch running on `dir`: the capture is read from its log (taken for writing), sent, and its replay kept there. */
export async function replayFromStore(log: RequestLog, dir: string, ref: string, options: Omit<ReplayOptions, 'own'>): Promise<ReplayRecord> {
  const request = await log.get(ref);
  if (!request) throw noSuchRequest(ref, dir);
  return replayCapture(log, request, { ...options, own: { ports: [], publicUrl: null } });
}

export function noSuchRequest(ref: string, dir: string): HookCatchError {
  return new HookCatchError(`No stored request matches "${ref}" in ${dir}. \`hook-catch list\` shows what is stored.`);
}
