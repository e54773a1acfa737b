import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HookCatchError } from '../errors.js';

// What a tool answers: one text block of JSON when it went well; when it did not, the MCP convention
// for a tool's failure, `isError: true` with one plain line (hook-catch's own message, never a stack),
// which the model reads and can act on.

export function answer(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

export function failure(error: unknown): CallToolResult {
  return { content: [{ type: 'text', text: messageOf(error) }], isError: true };
}

function messageOf(error: unknown): string {
  if (error instanceof HookCatchError) return error.message;
  if ((error as Error)?.name === 'AbortError') return 'Cancelled.';
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  return `Unexpected error: ${message} (please report it to hook-catch).`;
}

/** A tool's handler: what `run` returns becomes its answer, what it throws its failure. */
export function handler<A, E>(run: (args: A, extra: E) => Promise<unknown>): (args: A, extra: E) => Promise<CallToolResult> {
  return async (args, extra) => {
    try {
      return answer(await run(args, extra));
    } catch (error) {
      return failure(error);
    }
  };
}
