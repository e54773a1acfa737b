import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { ensurePrivateDir } from '../store/files.js';
import { PrivateJsonFile } from '../store/private-json-file.js';
import type { PollSpec } from './poll/spec.js';

/** A job the user registered (`expect`): all of a job that cannot be derived from the request log. */
export interface Registration {
  id: string;
  label: string | null;
  /** ISO time of the registration. */
  registeredAt: string;
  /** How long after `registeredAt` a job still waiting becomes expired. */
  ttlMs: number;
  /** Its provider's status endpoint, polled (`expect --poll`): saved without secrets. */
  poll?: PollSpec;
}

/** How the running instance matches webhooks to jobs, so that commands reading offline match the same way. */
export interface MatchSettings {
  jobIdPaths: string[];
  jobTtlMs: number;
}

/** `<dir>/jobs.json`. Deliveries are not in it: they are derived from the request log at every start. */
interface JobsDocument {
  version: 2;
  settings: MatchSettings | null;
  registrations: Registration[];
}

const FILE = 'jobs.json';
const empty = (): JobsDocument => ({ version: 2, settings: null, registrations: [] });

/** Reads the document as written by any version: version 1 held whole jobs, of which registrations are kept. */
// biome-ignore lint/suspicious/noExplicitAny: a file of any past version, read field by field below
function upgrade(value: any): JobsDocument {
  if (value?.version === 2 && Array.isArray(value.registrations)) return { ...empty(), ...value };
  if (value?.version === 1 && Array.isArray(value.jobs)) {
    const registrations = value.jobs
      // biome-ignore lint/suspicious/noExplicitAny: as above
      .filter((job: any) => job?.source === 'expect' && typeof job.id === 'string' && job.registeredAt)
      // biome-ignore lint/suspicious/noExplicitAny: as above
      .map((job: any) => ({
        id: job.id,
        label: job.label ?? null,
        registeredAt: job.registeredAt,
        ttlMs: Math.max(1, Date.parse(job.expiresAt) - Date.parse(job.registeredAt)) || 1,
      }));
    return { ...empty(), registrations };
  }
  throw new SyntaxError('not a hook-catch jobs document');
}

interface Queued {
  /** null: nothing to add, only the settings to write. */
  registration: Registration | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The registrations in `<dir>/jobs.json`, a small document rewritten whole (a few hundred kB at the
 * most). `add` resolves once the registration is in the file, and rejects, changing nothing, when it
 * cannot be written. Registrations made while a write is under way share the next write.
 */
export class RegistrationFile {
  private saved = new Map<string, Registration>();
  private queue: Queued[] = [];
  private writing = false;

  private constructor(
    private readonly db: Low<JobsDocument>,
    private readonly maxRegistrations: number,
  ) {}

  /** Opens the document; a damaged one is moved aside (named in the warning) and a fresh one started. */
  static async open(dir: string, options: { maxRegistrations: number; fsync: boolean; readOnly?: boolean }) {
    const path = join(dir, FILE);
    const db = new Low<JobsDocument>(new PrivateJsonFile(path, options.fsync, upgrade), empty());
    const warnings: string[] = [];
    try {
      await db.read();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      if (options.readOnly) warnings.push(`${path} is damaged; \`hook-catch start\` keeps it aside and starts a new one.`);
      else
        warnings.push(
          `${path} was damaged; it is kept aside in ${await setAside(dir, path)}. Jobs are rebuilt from the stored requests; register again the jobs still waiting (hook-catch expect).`,
        );
      db.data = empty();
    }
    const file = new RegistrationFile(db, options.maxRegistrations);
    for (const r of db.data.registrations) file.saved.set(r.id, r);
    return { file, warnings };
  }

  /** The saved registrations, oldest first. */
  list(): Registration[] {
    return [...this.saved.values()];
  }

  get settings(): MatchSettings | null {
    return this.db.data.settings;
  }

  /** Records how the running instance matches; resolves once written. */
  saveSettings(settings: MatchSettings): Promise<void> {
    this.db.data.settings = settings;
    return this.enqueue(null);
  }

  /** Saves a registration (replacing the one with its id); resolves once it is in the file. */
  add(registration: Registration): Promise<void> {
    return this.enqueue(registration);
  }

  private enqueue(registration: Registration | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ registration, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      const next = new Map(this.saved);
      for (const { registration } of batch) {
        if (!registration) continue;
        next.delete(registration.id); // re-registering moves it to the newest end
        next.set(registration.id, registration);
      }
      for (const id of next.keys()) {
        if (next.size <= this.maxRegistrations) break;
        next.delete(id);
      }
      try {
        await this.write([...next.values()]);
        this.saved = next;
        for (const q of batch) q.resolve();
      } catch (error) {
        for (const q of batch) q.reject(error);
      }
    }
    this.writing = false;
  }

  private async write(registrations: Registration[]): Promise<void> {
    this.db.data = { ...this.db.data, registrations };
    await this.db.write();
  }
}

async function setAside(dir: string, path: string): Promise<string> {
  const damaged = join(dir, 'damaged');
  await ensurePrivateDir(damaged);
  const aside = join(damaged, `jobs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await rename(path, aside);
  return aside;
}
