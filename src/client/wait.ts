import type { WaitAnswer } from '../wire/jobs.js';
import { ensureRegistered, type Client } from './client.js';

/** Each long-poll asks for at most this long, so no proxy or idle timeout cuts it. */
const POLL_MS = 60_000;

/**
 * Job `id`'s wait on the running instance (`GET /api/jobs/:id/wait`), registering it first when it
 * is unknown, long-polling until it settles or `deadline` (epoch ms) passes: `hook-catch wait` and
 * the MCP server's wait_for_job both wait this way. `signal` ends a poll in flight.
 */
export async function pollUntilSettled(
  client: Client,
  id: string,
  deadline: number,
  options: { any?: boolean; signal?: AbortSignal } = {},
): Promise<WaitAnswer> {
  await ensureRegistered(client, id);
  for (;;) {
    const left = Math.max(1, Math.min(deadline - Date.now(), POLL_MS));
    const path = `/api/jobs/${encodeURIComponent(id)}/wait?timeout=${left}ms${options.any ? '&any=1' : ''}`;
    const answer = await client.api<WaitAnswer>('GET', path, undefined, options.signal);
    if (answer.outcome !== 'timeout' || Date.now() >= deadline) return answer;
  }
}
