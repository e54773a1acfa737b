import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, childEnv, later } from './index.js';

// `hook-catch mcp` under the MCP SDK's own client, over stdio, as an agent's harness runs it: the
// built bin in a child process (no ngrok token, so no tunnel is ever dialled), closed after the test.

export interface ToolAnswer {
  isError: boolean;
  text: string;
  /** The text parsed as JSON (undefined when it is not JSON: an error's plain line). */
  value: any;
}

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote on stderr so far. */
  stderr: () => string;
  /** Errors the client met reading the server's stdout (a line that is not JSON-RPC): none expected. */
  errors: Error[];
  call(name: string, args?: Record<string, unknown>, options?: Parameters<Client['callTool']>[2]): Promise<ToolAnswer>;
}

/** Runs `hook-catch mcp <args>` and connects the SDK's client to it. */
export async function mcpSession(args: string[], env: NodeJS.ProcessEnv = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    env: childEnv(env) as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'hook-catch-test', version: '1.0.0' });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  later(() => client.close());
  return {
    client,
    transport,
    stderr: () => stderr,
    errors,
    async call(name, callArgs = {}, options) {
      const result = (await client.callTool({ name, arguments: callArgs }, undefined, options)) as CallToolResult;
      const text = result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
      let value: any;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      return { isError: result.isError === true, text, value };
    },
  };
}
