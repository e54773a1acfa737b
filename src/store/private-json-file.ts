import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { storeWriteError, writeFileAtomic, type FileData } from './files.js';

/**
 * lowdb's adapter for hook-catch's small documents: owner-only, atomic (a reader sees the old
 * document or the new one), synced with --fsync. `parse` checks (and upgrades) what was read; a
 * SyntaxError from it or from JSON means a damaged file, which the caller sets aside.
 */
export class PrivateJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly path: string,
    private readonly fsync: boolean,
    private readonly parse: (value: unknown) => T,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return this.parse(JSON.parse(text));
  }

  /** Rejects with a StoreWriteError (a full disk, say) when the document cannot be written. */
  write(data: T): Promise<void> {
    return this.writeText(JSON.stringify(data));
  }

  /** Writes the document's JSON as given, whole or in parts (a caller that keeps it serialized); as `write`. */
  async writeText(text: FileData): Promise<void> {
    try {
      await writeFileAtomic(this.path, text, { fsync: this.fsync });
    } catch (error) {
      throw storeWriteError(error, dirname(this.path));
    }
  }
}
