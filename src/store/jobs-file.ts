import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { Delivery, Job } from '../jobs/types.js';
import { ensurePrivateDir, writeFileAtomic } from './files.js';

/** `<dir>/jobs.json`: the job registry, a small document (lowdb suits it; the request log is elsewhere). */
export interface JobsDocument {
  version: 1;
  /** The newest request whose correlation is in this document; newer ones are correlated again at start-up. */
  through: string | null;
  jobs: Job[];
  /** Recent deliveries that matched no job yet (a bare `id`), for a registration that may come later. */
  unclaimed: Delivery[];
}

const empty = (): JobsDocument => ({ version: 1, through: null, jobs: [], unclaimed: [] });

/**
 * A lowdb adapter that writes owner-only (captured payload ids are sensitive), atomically, and one
 * write at a time: a write asked for while one is in flight is folded into the next.
 */
class PrivateJsonFile implements Adapter<JobsDocument> {
  private done: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private latest: JobsDocument | null = null;

  constructor(private readonly path: string) {}

  async read(): Promise<JobsDocument | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const value = JSON.parse(text) as JobsDocument; // a SyntaxError here is handled by openJobsFile
    if (value?.version !== 1 || !Array.isArray(value.jobs)) throw new SyntaxError('not a hook-catch jobs document');
    return { ...empty(), ...value };
  }

  /** Writes wait their turn; all those asked for before a write starts are served by it, with the latest data. */
  write(data: JobsDocument): Promise<void> {
    this.latest = data;
    if (!this.queued) {
      this.queued = this.done.then(() => {
        this.queued = null;
        return writeFileAtomic(this.path, JSON.stringify(this.latest));
      });
      this.done = this.queued.catch(() => undefined);
    }
    return this.queued;
  }
}

export interface OpenedJobs {
  db: Low<JobsDocument>;
  warnings: string[];
}

/** Opens the jobs document; a damaged one is moved aside (named in the warning) and a fresh one started. */
export async function openJobsFile(dir: string): Promise<OpenedJobs> {
  const path = join(dir, 'jobs.json');
  const db = new Low<JobsDocument>(new PrivateJsonFile(path), empty());
  try {
    await db.read();
    return { db, warnings: [] };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const damaged = join(dir, 'damaged');
    await ensurePrivateDir(damaged);
    const aside = join(damaged, `jobs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await rename(path, aside);
    db.data = empty();
    return { db, warnings: [`${path} was damaged; it is kept aside in ${aside} and jobs are rebuilt from the stored requests.`] };
  }
}
