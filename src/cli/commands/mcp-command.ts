import { Command } from 'commander';
import { HookCatchError } from '../../errors.js';
import { addStartFlags } from '../start-flags.js';

export function mcpCommand(): Command {
  const command = new Command('mcp').description(
    'serve the Model Context Protocol on stdin/stdout for a coding agent: webhook URL, expect and wait for a job, list, show and replay requests, export, response rules, the provider double. ' +
      "On the hook-catch running on --dir; with --start, starts one there when none runs (stopped when the agent's client disconnects)",
  );
  addStartFlags(command, {
    own: (c) => c.option('--start', 'start hook-catch on --dir when none runs there (with the flags below, as `start` takes them); stopped with this server'),
  });
  command.addHelpText(
    'after',
    `
Add it to an agent (its MCP configuration):
  $ claude mcp add hook-catch -- npx hook-catch mcp --start
  {"mcpServers": {"hook-catch": {"command": "npx", "args": ["hook-catch", "mcp", "--start"]}}}`,
  );
  return command.action(async (flags, self: Command) => {
    const given = self.options.filter((option) => self.getOptionValueSource(option.attributeName()) === 'cli').map((option) => option.long);
    const startOnly = given.filter((name) => name !== '--dir' && name !== '--start');
    if (!flags.start && startOnly.length) {
      throw new HookCatchError(`${startOnly.join(', ')} ${startOnly.length === 1 ? 'goes' : 'go'} with --start (the flags hook-catch is started with).`);
    }
    const start = flags.start ? (await import('../start-options.js')).toOptions(flags) : null;
    const { runMcp } = await import('../../mcp/run.js');
    await runMcp({ dir: flags.dir, start });
  });
}
