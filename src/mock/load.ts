import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, HookCatchError } from '../errors.js';
import { SCENARIO_FORMAT, type Scenario } from '../scenario/format.js';

/** A scenario and the name the terminal, the summary and the 501 answer call it by (its file's name). */
export interface LoadedScenario {
  name: string;
  scenario: Scenario;
}

/**
 * The scenarios to play: files, folders (every *.json in them, by name) or scenario objects. Each
 * is checked enough that playing it cannot fail later; a problem is one line naming the file.
 */
export async function loadScenarios(input: string | string[] | Scenario[]): Promise<LoadedScenario[]> {
  const list = Array.isArray(input) ? input : [input];
  const loaded: LoadedScenario[] = [];
  for (const [i, item] of list.entries()) {
    if (typeof item !== 'string') loaded.push({ name: `scenario ${i + 1}`, scenario: checkScenario(item, `scenario ${i + 1}`) });
    else for (const file of await filesOf(item)) loaded.push({ name: basename(file), scenario: checkScenario(await readJson(file), file) });
  }
  if (loaded.length === 0)
    throw new HookCatchError('No scenarios to play: give scenario files or a folder of them (hook-catch export writes them from a recording).');
  return loaded;
}

/** A file as itself; a folder as its *.json files, sorted by name. */
async function filesOf(path: string): Promise<string[]> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new HookCatchError(error.code === 'ENOENT' ? `${path}: no such file or folder.` : `${path} cannot be read: ${describe(error)}.`);
  });
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new HookCatchError(`${path} holds no *.json scenario files (hook-catch export writes them from a recording).`);
  return names.map((name) => join(path, name));
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error) => {
    throw new HookCatchError(`${file} cannot be read: ${describe(error)}.`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HookCatchError(`${file} is not JSON (${describe(error)}): a scenario is a ${SCENARIO_FORMAT} file.`);
  }
}

/** Checks the fields playback reads; the message names `where` and the field. */
export function checkScenario(value: unknown, where: string): Scenario {
  const scenario = value as Scenario;
  const bad = (what: string) => new HookCatchError(`${where} is not a playable ${SCENARIO_FORMAT} file: ${what}.`);
  if (typeof scenario !== 'object' || scenario === null) throw bad('it is not a JSON object');
  if (scenario.format !== SCENARIO_FORMAT) {
    const said = typeof scenario.format === 'string' ? `its format is "${scenario.format}"` : 'it has no "format"';
    throw new HookCatchError(`${where} is not a ${SCENARIO_FORMAT} file (${said}); hook-catch export writes them from a recording.`);
  }
  if (typeof scenario.job?.id !== 'string' || scenario.job.id === '') throw bad('job.id is missing');
  if (!Array.isArray(scenario.steps) || scenario.steps[0]?.kind !== 'submit') throw bad('its first step is not the submit');
  for (const [i, step] of scenario.steps.entries()) {
    const request = step.request;
    if (typeof request?.method !== 'string' || typeof request.url !== 'string' || !Array.isArray(request.headers))
      throw bad(`step ${i + 1} has no request method, url and headers`);
    if (typeof step.atMs !== 'number' || !(step.atMs >= 0)) throw bad(`step ${i + 1} has no atMs`);
    if (step.kind !== 'webhook' && (typeof step.answer?.status !== 'number' || !Array.isArray(step.answer.headers)))
      throw bad(`step ${i + 1} has no answer status and headers`);
    if (step.kind === 'webhook' && request.body === undefined) throw bad(`webhook step ${i + 1} has no body (its bytes were left out)`);
  }
  return scenario;
}
