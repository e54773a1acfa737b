import type { JobRequest } from '../wire/jobs.js';

/** A job's registration as `expect` and the MCP server's expect_job take it (durations in milliseconds). */
export interface JobRegistration {
  label?: string;
  ttlMs?: number;
  poll?: { url: string; headers: string[]; everyMs?: number; statusPath?: string; graceMs?: number };
}

/** The `POST /api/jobs` body registering job `id`: the `$NAME`s its poll names get their values from this process's environment. */
export function jobRequest(id: string, registration: JobRegistration): JobRequest {
  const { poll } = registration;
  return {
    id,
    label: registration.label,
    ttl: registration.ttlMs,
    poll: poll && {
      url: poll.url,
      headers: poll.headers,
      every: poll.everyMs,
      statusPath: poll.statusPath,
      grace: poll.graceMs,
      env: variablesFromHere(poll),
    },
  };
}

/**
 * The values of the `$NAME`s the poll names, from this process's environment: sent to the running
 * hook-catch over loopback and kept in its memory only (the saved registration keeps the names).
 */
function variablesFromHere(poll: { url: string; headers: string[] }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const text of [poll.url, ...poll.headers]) {
    for (const [, name] of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) if (process.env[name!] !== undefined) env[name!] = process.env[name!]!;
  }
  return env;
}
