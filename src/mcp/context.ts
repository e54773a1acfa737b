import { resolve } from 'node:path';
import { HookCatchError } from '../errors.js';
import type { Client } from '../client/client.js';
import { runningOn } from '../client/instance.js';

/** What every tool works on: the store folder, its running instance, and what stops with the server. */
export interface McpContext {
  /** The --dir, absolute. */
  dir: string;
  /** The instance running on `dir` now (looked up on each call: it may have been started or restarted since); none: a plain error saying how to start one. */
  client(): Promise<Client>;
  /** Runs `stop` when the MCP server stops (a provider double a tool started). */
  onStop(stop: () => Promise<void>): void;
}

/**
 * `startIfNone` (with --start): starts hook-catch on `dir` unless one runs there, resolving with why
 * it could not (null when it did or one runs). Called when no instance is found: the one used may
 * have stopped since.
 */
export function mcpContext(dir: string, onStop: McpContext['onStop'], startIfNone: (() => Promise<string | null>) | null): McpContext {
  const absolute = resolve(dir);
  return {
    dir: absolute,
    async client() {
      const client = await runningOn(absolute);
      if (client) return client;
      const problem = startIfNone && (await startIfNone());
      const started = startIfNone && (await runningOn(absolute));
      if (started) return started;
      throw notRunning(absolute, problem);
    },
    onStop,
  };
}

function notRunning(dir: string, startProblem: string | null): HookCatchError {
  if (startProblem) return new HookCatchError(`hook-catch could not start on ${dir}: ${startProblem}`);
  return new HookCatchError(
    `No hook-catch is running on ${dir}. Start one there (\`hook-catch start --dir ${dir}\`), or run this MCP server as \`hook-catch mcp --start\` so that it starts one itself.`,
  );
}
