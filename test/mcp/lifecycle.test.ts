import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv, later, runCli, send, startHookCatch, tempDir } from '../helpers/index.js';
import { mcpSession } from '../helpers/mcp.js';

// `hook-catch mcp` as an agent's harness runs it: what it offers, what it starts and stops, what it
// says when there is nothing to talk to. NO test dials out: no ngrok token (childEnv), ports 0.

const START = ['--start', '--port', '0', '--inspector-port', '0'];

const TOOLS = [
  'webhook_url',
  'expect_job',
  'wait_for_job',
  'list_requests',
  'show_request',
  'replay_request',
  'export_fixtures',
  'export_scenario',
  'add_rule',
  'list_rules',
  'clear_rules',
  'start_mock',
  'mock_summary',
  'stop_mock',
];

/** Resolves true once nothing listens at `url`'s port any more (a refused connection), false if something answers. */
function refuses(url: string): Promise<boolean> {
  return send(`${url}/api/status`).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
  );
}

describe('hook-catch mcp: the server', { timeout: 60_000 }, () => {
  it('lists every tool with a description and a JSON schema of its arguments', async () => {
    const mcp = await mcpSession([...START, '--dir', await tempDir()]);
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type, tool.name).toBe('object');
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('wait_for_job')!.inputSchema).toMatchObject({
      required: ['jobId'],
      properties: { jobId: { type: 'string' }, timeout: { type: 'string' } },
    });
    // add_rule's arguments mirror POST /api/rules' body (RuleRequest in src/wire/rules.ts).
    expect(Object.keys(byName.get('add_rule')!.inputSchema.properties!)).toEqual([
      'path',
      'status',
      'body',
      'headers',
      'delay',
      'failFirst',
      'failRate',
      'seed',
      'throttle',
      'goneAfter',
      'hang',
      'drop',
    ]);
    expect(mcp.client.getInstructions()).toMatch(/expect_job .* wait_for_job/);
  });

  it('--start starts hook-catch on --dir and stops it when the client disconnects; stdout carries only the protocol', async () => {
    const dir = await tempDir();
    const mcp = await mcpSession([...START, '--dir', dir]);
    const urls = (await mcp.call('webhook_url')).value;
    expect((await send(urls.localWebhookUrl, { method: 'POST', body: '{"jobId":"a-1","status":"completed"}' })).status).toBe(200);
    expect((await mcp.call('wait_for_job', { jobId: 'a-1' })).value.state).toBe('completed');
    expect(mcp.stderr()).toContain(`hook-catch mcp: started on ${dir}: webhooks to ${urls.localWebhookUrl}`);
    await mcp.client.close();
    expect(existsSync(join(dir, 'instance.json'))).toBe(false);
    expect(await refuses(urls.inspectorUrl)).toBe(true);
    expect(mcp.errors).toEqual([]);
  });

  it('an instance already running on --dir is used, and keeps running after the client disconnects', async () => {
    const hc = await startHookCatch();
    const mcp = await mcpSession([...START, '--dir', hc.dir]);
    expect((await mcp.call('webhook_url')).value.inspectorUrl).toBe(hc.inspectorUrl);
    expect(mcp.stderr()).toContain(
      `hook-catch mcp: using the hook-catch already running on ${hc.dir} (pid ${process.pid}); it keeps running when this MCP server stops.`,
    );
    await mcp.client.close();
    expect((await send(`${hc.inspectorUrl}/api/status`)).status).toBe(200);
    expect(existsSync(join(hc.dir, 'instance.json'))).toBe(true);
  });

  it('with --start, when the instance it used stops, the next tool call starts one, and that one stops with the server', async () => {
    const hc = await startHookCatch();
    const mcp = await mcpSession([...START, '--dir', hc.dir]);
    expect((await mcp.call('webhook_url')).value.inspectorUrl).toBe(hc.inspectorUrl);
    await hc.close();
    const urls = (await mcp.call('webhook_url')).value;
    expect(urls.inspectorUrl).not.toBe(hc.inspectorUrl);
    expect(mcp.stderr()).toContain(`hook-catch mcp: started on ${hc.dir}: webhooks to ${urls.localWebhookUrl}`);
    await mcp.client.close();
    expect(existsSync(join(hc.dir, 'instance.json'))).toBe(false);
    expect(await refuses(urls.inspectorUrl)).toBe(true);
  });

  it('stdin closing stops it and the instance it started, exit code 0 (no signal needed); SIGTERM does too', async () => {
    for (const how of ['stdin', 'SIGTERM'] as const) {
      const dir = await tempDir();
      const child = spawn(process.execPath, [BIN, 'mcp', ...START, '--dir', dir], { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      later(() => child.exitCode === null && child.kill('SIGKILL'));
      const exited = new Promise<[number | null, string | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          if (stderr.includes('started on')) resolve();
        });
        child.on('close', () => reject(new Error(`exited before it started: ${stderr}`)));
      });
      expect(existsSync(join(dir, 'instance.json'))).toBe(true);
      if (how === 'stdin') child.stdin.end();
      else child.kill('SIGTERM');
      expect(await exited, how).toEqual([0, null]);
      expect(existsSync(join(dir, 'instance.json')), how).toBe(false);
    }
  });

  it('without --start and no instance running, it still comes up, and each tool says how to fix it in one line', async () => {
    const dir = await tempDir();
    const mcp = await mcpSession(['--dir', dir]);
    for (const [name, args] of [
      ['webhook_url', {}],
      ['wait_for_job', { jobId: 'j' }],
      ['list_requests', {}],
    ] as const) {
      expect(await mcp.call(name, args)).toEqual({
        isError: true,
        text: `No hook-catch is running on ${dir}. Start one there (\`hook-catch start --dir ${dir}\`), or run this MCP server as \`hook-catch mcp --start\` so that it starts one itself.`,
        value: undefined,
      });
    }
  });

  it('a --start that cannot start (its port is taken) leaves the server up, its tools saying why', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    later(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as AddressInfo).port;
    const dir = await tempDir();
    const mcp = await mcpSession(['--start', '--port', String(port), '--inspector-port', '0', '--dir', dir]);
    const answer = await mcp.call('webhook_url');
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(new RegExp(`^hook-catch could not start on ${dir}: .*${port}`));
    expect(answer.text).not.toContain('\n');
  });

  it("start's flags without --start are refused in one line", async () => {
    const run = await runCli(['mcp', '--port', '0', '--dir', await tempDir()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('hook-catch: --port goes with --start (the flags hook-catch is started with).\n');
    expect(run.stdout).toBe('');
  });
});
