import { type Command, Option, type OptionValues } from 'commander';
import { parseHeader } from '../capture/headers.js';
import { checkRuleHeader, DEFAULT_HANG_MS, parseFailRate, parseGoneAfter, parseHang, parseRespond, parseThrottle } from '../rules/check.js';
import { formatFlagDuration } from '../units.js';
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
    .addOption(
      new Option('--fail-rate <percent>', 'answer this share of requests 500 (or hang/drop them with --hang/--drop), e.g. 30%').argParser(
        checkedBy(parseFailRate, '--fail-rate'),
      ),
    )
    .addOption(
      new Option(
        '--seed <n>',
        'with --fail-rate: the same seed fails the same requests of the same run again (default: one picked, shown in `rules`)',
      ).argParser(wholeNumber('--seed', 0)),
    )
    .addOption(
      new Option(
        '--throttle <status:duration>',
        'answer 429 or 503 with Retry-After from the first request on for this long, then recover, e.g. 429:30s',
      ).argParser(checkedBy(parseThrottle, '--throttle')),
    )
    .addOption(
      new Option(
        '--gone-after <count|duration>',
        'answer 410 Gone once the rule has seen this many requests (100), or this long after its first (5m)',
      ).argParser(checkedBy(parseGoneAfter, '--gone-after')),
    )
    .addOption(
      new Option(
        '--hang [duration]',
        `store the request and answer nothing, closing the connection after this long (default ${formatFlagDuration(DEFAULT_HANG_MS)}, at most 10m): the sender times out`,
      ).argParser(checkedBy(parseHang, '--hang')),
    )
    .option('--drop', 'store the request, then close the connection without an answer')
    .option('--respond-path <prefix>', 'apply the rule only to paths starting with this, e.g. /billing');
}

/** The rule the flags describe, or null when none of them was given. */
export function ruleFromFlags(flags: OptionValues): RuleInput | null {
  const chaos = flags.failRate || flags.seed !== undefined || flags.throttle || flags.goneAfter || flags.hang || flags.drop;
  const given = chaos || flags.respond || flags.respondHeader || flags.delay || flags.failFirst || flags.respondPath;
  if (!given) return null;
  return {
    status: flags.respond?.status,
    body: flags.respond?.body ?? null,
    headers: (flags.respondHeader ?? []).map((text: string) => respondHeader(text, '--respond-header')),
    delayMs: flags.delay,
    failFirst: flags.failFirst,
    failRate: flags.failRate,
    seed: flags.seed ?? null,
    throttle: flags.throttle ?? null,
    goneAfter: flags.goneAfter ?? null,
    // `--hang` alone is true: the default time.
    hangMs: flags.hang === true ? DEFAULT_HANG_MS : flags.hang,
    drop: flags.drop ?? false,
    path: flags.respondPath ?? null,
  };
}

function respondHeader(text: string, flag: string): [string, string] {
  return checkRuleHeader(parseHeader(text, flag));
}
