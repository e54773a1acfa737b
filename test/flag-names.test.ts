import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { json, ROOT, runCli, send, startHookCatch } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';

const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/g;

const flagsNamed = (text: string) => [...text.matchAll(FLAG)].map((match) => match[0]);

/** A command's flags, its subcommands' included. */
function flagsOf(command: Command): Set<string> {
  const own = command.options.map((option) => option.long).filter((long): long is string => !!long);
  return new Set(['--help', ...own, ...command.commands.flatMap((sub) => [...flagsOf(sub)])]);
}

const program = await buildProgram();
const commands = new Map(program.commands.map((command) => [command.name(), flagsOf(command)]));
const anyCommand = flagsOf(program);

/** Every `--flag` in the string literals of a source file (what it can print), not in its comments. */
function flagsInStrings(file: string, text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
      found.push(...flagsNamed(node.text));
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  return found;
}

/**
 * The command a file of src/cli/ belongs to: `commands/capture.ts` and `commands/capture-report.ts` are
 * capture's; so is a shared file beside the program named for a command (`start-flags.ts`).
 */
function commandOfFile(file: string): string | undefined {
  const name = /^cli\/(?:commands\/)?([a-z]+)[-.]/.exec(file)?.[1];
  return name && commands.has(name) ? name : undefined;
}

describe('every flag a message names is a real flag', () => {
  it("of some command; in a command's own files, of that command or of start (the running instance)", async () => {
    const src = join(ROOT, 'src');
    const files = (await readdir(src, { recursive: true })).filter((file) => file.endsWith('.ts'));
    const wrong: string[] = [];
    for (const file of files) {
      const command = commandOfFile(file);
      for (const flag of flagsInStrings(file, await readFile(join(src, file), 'utf8'))) {
        if (!anyCommand.has(flag)) wrong.push(`src/${file}: ${flag} is no flag of hook-catch`);
        else if (command && !commands.get(command)!.has(flag) && !commands.get('start')!.has(flag)) {
          wrong.push(`src/${file}: ${flag} is not a flag of ${command} (nor of start)`);
        }
      }
    }
    expect(files.length).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });

  it("a send that times out names the flag that raises it, of the command that sent: start's --forward, replay, deliver", { timeout: 60_000 }, async () => {
    const app = await recordingApp(() => 'hang');
    const hc = await startHookCatch({ forward: app.url, forwardTimeoutMs: 200 });
    const forwarded = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{"jobId":"slow-1","status":"completed"}' });
    expect(forwarded.status).toBe(504);
    const forwardError: string = json(forwarded).error;
    expect(forwardError).toMatch(/did not answer within 0\.2s \(raise it with --forward-timeout\)/);

    const replayed = await runCli(['replay', 'last', '--to', app.url, '--timeout', '200ms', '--dir', hc.dir]);
    expect(replayed.stderr).toMatch(/did not answer within 0\.2s \(raise it with --timeout\)/);
    const delivered = await runCli(['deliver', '--job', 'slow-1', '--to', app.url, '--retries', '1', '--timeout', '200ms', '--dir', hc.dir]);
    expect(delivered.stdout + delivered.stderr).toMatch(/did not answer within 0\.2s \(raise it with --timeout\)/);

    for (const [command, text] of [
      ['start', forwardError],
      ['replay', replayed.stderr],
      ['deliver', delivered.stdout + delivered.stderr],
    ] as const) {
      for (const flag of flagsNamed(text)) expect(commands.get(command), `${command}: ${flag}`).toContain(flag);
    }
  });
});
