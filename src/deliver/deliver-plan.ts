import { HookCatchError } from '../errors.js';
import { parseDuration } from '../units.js';

/** Seed 003's schedule: up to 5 attempts, about 2, 4, 8 and 16 minutes apart. */
export const PROVIDER_SCHEDULE = { attempts: 5, backoffMs: [2 * 60_000, 4 * 60_000, 8 * 60_000, 16 * 60_000] } as const;

/** `2m,4m,8m,16m` -> milliseconds between attempts (the last repeats when there are more attempts). */
export function parseBackoff(text: string, flag = '--backoff'): number[] {
  const gaps = text.split(',').map((part) => parseDuration(part));
  if (gaps.length === 0 || gaps.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new HookCatchError(`${flag} takes durations between attempts, comma-separated, such as 2m,4m,8m,16m; got "${text}".`);
  }
  return gaps;
}

/** `60x`, `60`, `1x` -> how many times faster than the schedule time runs. */
export function parseSpeed(text: string, flag = '--speed'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*x?\s*$/i.exec(text);
  const speed = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(speed) || speed <= 0)
    throw new HookCatchError(`${flag} takes how many times faster to run the schedule, such as 60x (2m becomes 2s); got "${text}".`);
  return speed;
}

/** The provider double's speed (`mock --speed`, the MCP server's start_mock): `instant`, or how many times faster than recorded (`10x`, `10`, `1x`). */
export function parseMockSpeed(text: string, flag = '--speed'): number {
  return text.trim().toLowerCase() === 'instant' ? Infinity : parseSpeed(text, flag);
}

/** `0.2`, `20%` -> a probability from 0 to 1. */
export function parseShare(text: string, flag = '--duplicates'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  const share = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new HookCatchError(`${flag} takes a share of the webhooks to send twice: 0.2 or 20%; got "${text}".`);
  return share;
}

/** The wait before attempt `n` (2 for the first retry), in real milliseconds after the speed-up. */
export function gapBefore(attempt: number, backoffMs: readonly number[], speed: number): number {
  const gap = backoffMs[Math.min(attempt - 2, backoffMs.length - 1)] ?? 0;
  return gap / speed;
}

/** One send of a webhook: the webhook's index, and whether it is the duplicate of an earlier send. */
export interface PlannedSend {
  webhook: number;
  duplicate: boolean;
}

/**
 * The order webhooks are sent in: as given, or shuffled; and the share of them sent a second time
 * (that share of the count, rounded, at least one), each duplicate placed at a random later point
 * (it waits for its first send to finish).
 */
export function planSends(count: number, options: { shuffle: boolean; duplicates: number; random: () => number }): PlannedSend[] {
  const order = [...Array(count).keys()];
  const shuffled = (list: number[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(options.random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  if (options.shuffle) shuffled(order);
  const sends: PlannedSend[] = order.map((webhook) => ({ webhook, duplicate: false }));
  const twice = options.duplicates === 0 ? 0 : Math.max(1, Math.round(options.duplicates * count));
  for (const webhook of shuffled([...order]).slice(0, twice)) {
    const first = sends.findIndex((s) => s.webhook === webhook);
    const at = first + 1 + Math.floor(options.random() * (sends.length - first));
    sends.splice(at, 0, { webhook, duplicate: true });
  }
  return sends;
}
