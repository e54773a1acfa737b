import type { ResponseRule, RuleInput } from '../../rules/types.js';
import { describeRule } from '../../terminal/banner.js';
import { chalkFor } from '../../terminal/color.js';
import type { Client } from '../../client/client.js';
import { withInstanceOrStore } from '../instance-or-store.js';
import type { DeletedAll, DeletedOne } from '../../wire/requests.js';
import type { RuleList } from '../../wire/rules.js';

/** The rules of the instance running on `dir` (through its API), or of its store folder when none runs. */
interface Rules {
  list(): Promise<ResponseRule[]>;
  add(input: RuleInput): Promise<ResponseRule>;
  remove(id: string): Promise<boolean>;
  clear(): Promise<number>;
}

export function rulesOn(dir: string): Promise<Rules> {
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

export function printRules(rules: ResponseRule[], json: boolean | undefined, stdout: NodeJS.WritableStream): void {
  if (json) {
    stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return;
  }
  const c = chalkFor(stdout);
  if (rules.length === 0) stdout.write(c.dim('No response rules: every request is answered 200.\n'));
  for (const rule of rules) stdout.write(`${describeRule(rule)}${c.dim(rule.source === 'start' ? '  (from start flags)' : '')}\n`);
}
