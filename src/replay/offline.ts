import { HookCatchError } from '../errors.js';
import { claimInstance, releaseInstance } from '../store/instance-file.js';
import { hasStore, RequestLog } from '../store/request-log.js';
import { replayCapture, type ReplayOptions } from './replay.js';
import type { ReplayRecord } from './types.js';

/**
 * A replay with no hook-catch running on `dir`: the store is taken for the moment it takes (so
 * that a `start` cannot write beside it), the capture read, sent, and its replay kept.
 */
export async function replayFromStore(dir: string, ref: string, options: Omit<ReplayOptions, 'own'>): Promise<ReplayRecord> {
  if (!(await hasStore(dir))) throw new HookCatchError(`No hook-catch store in ${dir}. Start one with \`hook-catch start\`, or point at it with --dir.`);
  await claimInstance(dir);
  try {
    const { log } = await RequestLog.open(dir, { maxRequests: Number.MAX_SAFE_INTEGER, fsync: false });
    try {
      const request = await log.get(ref);
      if (!request) throw noSuchRequest(ref, dir);
      return await replayCapture(log, request, { ...options, own: { ports: [], publicUrl: null } });
    } finally {
      await log.close();
    }
  } finally {
    releaseInstance(dir);
  }
}

export function noSuchRequest(ref: string, dir: string): HookCatchError {
  return new HookCatchError(`No stored request matches "${ref}" in ${dir}. \`hook-catch list\` shows what is stored.`);
}
