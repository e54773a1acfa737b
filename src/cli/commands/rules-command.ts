import { Command } from 'commander';
import { HookCatchError } from '../../errors.js';
import { dirOption } from '../args.js';
import { addRuleFlags, ruleFromFlags } from '../rule-flags.js';

// What the subcommands do (rules.ts) is loaded when one runs.
const rulesOn = async (dir: string) => (await import('./rules.js')).rulesOn(dir);
const printRules = async (...args: Parameters<typeof import('./rules.js').printRules>) => (await import('./rules.js')).printRules(...args);

export function rulesCommand(): Command {
  const command = new Command('rules').description(
    'list, add and remove response rules: what the receiver answers (status, body, delay, fail-first, fail-rate, throttle, gone-after, hang, drop); every request is still captured',
  );
  command.addCommand(
    new Command('list')
      .description('the rules in force (what `hook-catch rules` alone does)')
      .addOption(dirOption())
      .option('--json', 'print the rules as JSON')
      .action(async (flags) => printRules(await (await rulesOn(flags.dir)).list(), flags.json, process.stdout)),
    { isDefault: true },
  );
  const add = new Command('add')
    .description('add a rule; it applies from the next request, and is kept across restarts')
    .addOption(dirOption())
    .option('--json', 'print the rule as JSON');
  addRuleFlags(add, '').action(async (flags) => {
    const input = ruleFromFlags(flags);
    if (!input)
      throw new HookCatchError(
        'Say what to answer: --respond <status[:body]>, --respond-header, --delay, --fail-first, --fail-rate, --throttle, --gone-after, --hang or --drop (and --respond-path to scope it).',
      );
    const rule = await (await rulesOn(flags.dir)).add(input);
    await printRules([rule], flags.json, process.stdout);
  });
  command.addCommand(add);
  command.addCommand(
    new Command('remove')
      .description('remove a rule by its id (r1, r2 …)')
      .argument('<id>')
      .addOption(dirOption())
      .action(async (id: string, flags) => {
        if (!(await (await rulesOn(flags.dir)).remove(id))) throw new HookCatchError(`No response rule ${id}. \`hook-catch rules\` lists them.`);
        process.stdout.write(`Removed rule ${id}.\n`);
      }),
  );
  command.addCommand(
    new Command('clear')
      .description('remove every rule')
      .addOption(dirOption())
      .action(async (flags) => {
        const count = await (await rulesOn(flags.dir)).clear();
        process.stdout.write(`Removed ${count} rule${count === 1 ? '' : 's'}.\n`);
      }),
  );
  return command;
}
