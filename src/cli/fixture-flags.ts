import { type Command, Option } from 'commander';
import { DEFAULT_REDACT } from '../fixtures/redact.js';

/** `--redact a,b --redact c` and `--redact-default`, as one list of names. */
export function redactList(flags: { redact?: string[]; redactDefault?: boolean }): string[] {
  const names = (flags.redact ?? [])
    .flatMap((list) => list.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  return [...new Set([...names, ...(flags.redactDefault ? DEFAULT_REDACT : [])])];
}

/** How fixtures are written (--redact, --redact-default, --format): `export` and `capture` take them. */
export function addFixtureFlags(command: Command): Command {
  return command
    .option('--redact <names>', 'blank these header values, comma-separated (repeatable); the file lists them', (v: string, p: string[] = []) => [...p, v])
    .option('--redact-default', `blank the usual secrets: ${DEFAULT_REDACT.slice(0, 4).join(', ')}, signature headers …`)
    .addOption(new Option('--format <format>', 'fixture: a JSON file per request; har: one HAR 1.2 file').choices(['fixture', 'har']).default('fixture'));
}
