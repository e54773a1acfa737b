import { Command } from 'commander';
import { HookCatchError } from '../../errors.js';
import type { ResponseRule, RuleInput } from '../../rules/types.js';
import { describeRule } from '../../terminal/banner.js';
import { chalkFor } from '../../terminal/reporter.js';
import { dirOption } from '../args.js';
import type { Client } from '../client.js';
import { withInstanceOrStore } from '../instance-or-store.js';
import { addRuleFlags, ruleFromFlags } from '../rule-flags.js';
import type { DeletedAll, DeletedOne } from '../../wire/requests.js';
import type { RuleList } from '../../wire/rules.js';

/** The rules of the instance running on `dir` (through its API), or of its store folder when none runs. */
interface Rules {
  list(): Promise<ResponseRule[]>;
  add(input: RuleInput): Promise<ResponseRule>;
  remove(id: string): Promise<boolean>;
  clear(): Promise<number>;
}

function rulesOn(dir: string): Promise<Rules> {
  return withInstanceOrStore<Rules>(dir, {
    online: async (client) => viaApi(client),
    offline: async (store) => {
      const set = await store.rules();
      return { list: async () => set.list(), add: (input) => set.add(input), remove: (id) => set.remove(id), clear: () => set.clear() };
    },
  });
}

function viaApi(client: Client): Rules {
  return {
    list: async () => (await client.api<RuleList>('GET', '/api/rules')).items,
    add: (input) => client.api<ResponseRule>('POST', '/api/rules', input),
    remove: async (id) => {
      const rules = await client.api<RuleList>('GET', '/api/rules');
      if (!rules.items.some((rule) => rule.id === id)) return false;
      await client.api<DeletedOne>('DELETE', `/api/rules/${encodeURIComponent(id)}`);
      return true;
    },
    clear: async () => (await client.api<DeletedAll>('DELETE', '/api/rules')).deleted,
  };
}

function printRules(rules: ResponseRule[], json: boolean | undefined, stdout: NodeJS.WritableStream): void {
  if (json) {
    stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return;
  }
  const c = chalkFor(stdout);
  if (rules.length === 0) stdout.write(c.dim('No response rules: every request is answered 200.\n'));
  for (const rule of rules) stdout.write(`${describeRule(rule)}${c.dim(rule.source === 'start' ? '  (from start flags)' : '')}\n`);
}

export function rulesCommand(): Command {
  const command = new Command('rules').description(
    'list, add and remove response rules: what the receiver answers (status, body, delay, fail-first); every request is still captured',
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
      throw new HookCatchError('Say what to answer: --respond <status[:body]>, --respond-header, --delay or --fail-first (and --respond-path to scope it).');
    const rule = await (await rulesOn(flags.dir)).add(input);
    printRules([rule], flags.json, process.stdout);
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
