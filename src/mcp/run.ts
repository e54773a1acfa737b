import { resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { runningOn } from '../client/instance.js';
import { describe, HookCatchError } from '../errors.js';
import type { HookCatchOptions } from '../options.js';
import type { HookCatch } from '../start.js';
import { mcpContext } from './context.js';
import { hookCatchMcpServer } from './server.js';

/** Hard limit on stopping: whatever hangs, the process is gone this long after its client left. */
const EXIT_DEADLINE_MS = 3000;

export interface McpRunOptions {
  dir: string;
  /** `--start`: start's options, to start hook-catch on `dir` when none runs there. */
  start: HookCatchOptions | null;
}

/**
 * `hook-catch mcp`: the MCP server on stdin and stdout, which carry the protocol and nothing else
 * (hook-catch's own lines go to stderr). With `start`, hook-catch is started in this process when
 * none runs on the folder, and stopped when the client leaves (stdin closes, SIGTERM, SIGINT); an
 * instance that was already running is only used, never stopped.
 */
export async function runMcp(options: McpRunOptions): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const starts = options.start ? starter(resolve(options.dir), options.start) : null;
  const context = mcpContext(options.dir, (stop) => stops.push(stop), starts && (() => starts.ensure()));
  const server = hookCatchMcpServer(context);
  // Started before the protocol: a tool's first call finds the instance up (or why it is not).
  const booting = starts?.ensure();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
      for (const each of [...stops.reverse(), async () => starts?.stop()]) {
        await each().catch((error: unknown) => say(`while stopping: ${describe(error)}`));
      }
      await server.close().catch(() => undefined);
      process.exit(0);
    })();
    return stopping;
  };
  // From the first moment: a client may leave (or the harness send SIGTERM) while hook-catch starts.
  server.server.onclose = stop;
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await booting;
  await server.connect(new StdioServerTransport());
}

/**
 * `--start`: hook-catch on `dir`, started by this server when none runs there, at start-up and again
 * when a tool finds the one it used gone (another agent's, stopped); one start at a time. `stop`
 * stops what it started (one still starting, once it is up), and nothing else.
 */
function starter(dir: string, options: HookCatchOptions) {
  const started: HookCatch[] = [];
  let pending: Promise<string | null> | undefined;
  return {
    /** Resolves with why hook-catch could not start, or null (started, or one runs). */
    ensure(): Promise<string | null> {
      pending ??= startUnlessRunning(dir, options)
        .then(
          (hc) => {
            if (hc) started.push(hc);
            return null;
          },
          (problem: string) => problem,
        )
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    async stop(): Promise<void> {
      await pending;
      for (const hc of started) await hc.close();
    },
  };
}

/**
 * The instance started on `dir`, or null when one runs there already (used as it is). A start that
 * fails rejects with why, in a line: the server still comes up, and its tools say it.
 */
async function startUnlessRunning(dir: string, options: HookCatchOptions): Promise<HookCatch | null> {
  const running = await runningOn(dir);
  if (running) {
    say(`using the hook-catch already running on ${dir} (pid ${running.instance.pid}); it keeps running when this MCP server stops.`);
    return null;
  }
  const { start } = await import('../start.js');
  try {
    // Its terminal lines (warnings and errors only) on stderr: stdout is the protocol's.
    const hc = await start({ ...options, dir, output: 'quiet', stdout: process.stderr, stderr: process.stderr });
    say(`started on ${dir}: webhooks to ${hc.webhookUrl}, inspector ${hc.inspectorUrl}; it stops with this MCP server.`);
    return hc;
  } catch (error) {
    const problem = error instanceof HookCatchError ? error.message : describe(error);
    say(`could not start on ${dir}: ${problem}`);
    throw problem;
  }
}

function say(line: string): void {
  process.stderr.write(`hook-catch mcp: ${line}\n`);
}
