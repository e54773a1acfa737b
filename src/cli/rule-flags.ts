import { type Command, Option, type OptionValues } from 'commander';
import { parseHeader } from '../capture/headers.js';
import { checkRuleHeader, parseRespond } from '../rules/check.js';
import type { RuleInput } from '../rules/types.js';
import { checkedBy, collectChecked, duration, wholeNumber } from './args.js';

/** The flags that make one response rule, the same on `start` and `rules add`. */
export function addRuleFlags(command: Command, scope: string): Command {
  return command
    .option(
      '--respond <status[:body]>',
      `answer this status (and body) instead of 200, e.g. 503 or '202:{"queued":true}'${scope}`,
      checkedBy(parseRespond, '--respond'),
    )
    .option(
      '--respond-header <name:value>',
      'add this header to the answer (repeatable; not Content-Length or other framing headers, which hook-catch writes)',
      collectChecked(respondHeader, '--respond-header'),
    )
    .addOption(new Option('--delay <duration>', 'answer only after this long (the request is stored at once): 2s, 500ms').argParser(duration))
    .addOption(
      new Option(
        '--fail-first <n>',
        'answer the first n deliveries of each job (of each distinct body when no job is named) 500, later ones normally',
      ).argParser(wholeNumber('--fail-first', 1)),
    )
    .option('--respond-path <prefix>', 'apply the rule only to paths starting with this, e.g. /billing');
}

/** The rule the flags describe, or null when none of them was given. */
export function ruleFromFlags(flags: OptionValues): RuleInput | null {
  const given = flags.respond || flags.respondHeader || flags.delay || flags.failFirst || flags.respondPath;
  if (!given) return null;
  return {
    status: flags.respond?.status,
    body: flags.respond?.body ?? null,
    headers: (flags.respondHeader ?? []).map((text: string) => respondHeader(text, '--respond-header')),
    delayMs: flags.delay,
    failFirst: flags.failFirst,
    path: flags.respondPath ?? null,
  };
}

function respondHeader(text: string, flag: string): [string, string] {
  return checkRuleHeader(parseHeader(text, flag));
}
