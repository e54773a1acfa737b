import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { ResponseRule } from './types.js';
import { ensurePrivateDir } from '../store/files.js';
import { PrivateJsonFile } from '../store/private-json-file.js';

/** `<dir>/rules.json`: the response rules, kept across restarts. */
interface RulesDocument {
  version: 1;
  rules: ResponseRule[];
}

const FILE = 'rules.json';

function parse(value: unknown): RulesDocument {
  const doc = value as Partial<RulesDocument> | null;
  if (doc?.version !== 1 || !Array.isArray(doc.rules)) throw new SyntaxError('not a hook-catch rules document');
  return { version: 1, rules: doc.rules.filter((rule) => typeof rule?.id === 'string' && typeof rule.status === 'number') };
}

/** Reads the saved rules; a damaged file is set aside (named in the warning) and none are in force. */
export async function openRulesFile(dir: string, fsync: boolean) {
  const path = join(dir, FILE);
  const db = new Low<RulesDocument>(new PrivateJsonFile(path, fsync, parse), { version: 1, rules: [] });
  const warnings: string[] = [];
  try {
    await db.read();
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const damaged = join(dir, 'damaged');
    await ensurePrivateDir(damaged);
    const aside = join(damaged, `rules-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await rename(path, aside);
    warnings.push(`${path} was damaged; it is kept aside in ${aside}, and no response rule is in force. Add them again (hook-catch rules add).`);
    db.data = { version: 1, rules: [] };
  }
  const save = async (rules: ResponseRule[]) => {
    db.data = { version: 1, rules };
    await db.write();
  };
  return { rules: db.data.rules, save, warnings };
}
