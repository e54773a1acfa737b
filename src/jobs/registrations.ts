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
 * most) and atomically. `add` resolves once the registration is in the file, and rejects, changing
 * nothing, when it cannot be written. Registrations made while a write is under way share the next write.
 *
 * A save does not serialize every registration again: each one's JSON is made once, when it is
 * added, and the document's registrations are kept as those bytes, to which a save appends the new
 * ones (and from whose start it cuts the oldest past the limit). With 5,000 registered, serializing
 * and encoding them all took the receiver's thread several milliseconds a save.
 */
export class RegistrationFile {
  private saved = new Map<string, Registration>();
  /** The length in bytes of each saved registration's JSON in the file. */
  private sizes = new Map<string, number>();
  /**
   * The saved registrations' JSON, comma-separated, oldest first: what is between the document's
   * brackets, in parts (a save adds one; the parts are joined by commas when written). Never joined
   * into one new buffer a save: a fresh buffer of half a megabyte costs more than its copy (the
   * operating system hands its pages over one by one).
   */
  private body: Buffer[] = [];
  private queue: Queued[] = [];
  private writing = false;

  private constructor(
    private readonly db: Low<JobsDocument>,
    private readonly file: PrivateJsonFile<JobsDocument>,
    private readonly maxRegistrations: number,
  ) {}

  /** Opens the document; a damaged one is moved aside (named in the warning) and a fresh one started. */
  static async open(dir: string, options: { maxRegistrations: number; fsync: boolean; readOnly?: boolean }) {
    const path = join(dir, FILE);
    const adapter = new PrivateJsonFile(path, options.fsync, upgrade);
    const db = new Low<JobsDocument>(adapter, empty());
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
    const file = new RegistrationFile(db, adapter, options.maxRegistrations);
    // All that the file holds, past the limit or not: the next save drops the oldest, as it always did.
    file.apply(file.plan(db.data.registrations, Infinity));
    db.data.registrations = []; // kept in `saved` from here on
    return { file, warnings };
  }

  /** The saved registrations, oldest first. */
  list(): Registration[] {
    return [...this.saved.values()];
  }

  /** The saved registration of a job, if any. */
  get(id: string): Registration | undefined {
    return this.saved.get(id);
  }

  get settings(): MatchSettings | null {
    return this.db.data.settings;
  }

  /** Records how the running instance matches; resolves once written (at once when the file says so already). */
  saveSettings(settings: MatchSettings): Promise<void> {
    if (JSON.stringify(this.db.data.settings) === JSON.stringify(settings)) return Promise.resolve();
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
      const plan = this.plan(batch.flatMap((q) => (q.registration ? [q.registration] : [])));
      try {
        await this.file.writeText(plan.document);
        this.apply(plan);
        for (const q of batch) q.resolve();
      } catch (error) {
        for (const q of batch) q.reject(error);
      }
    }
    this.writing = false;
  }

  /**
   * What the saved registrations become with `registrations` (in order; one made again moves to
   * the newest end), the oldest past `limit` dropped, and the document that says so: worked out
   * without changing anything, so that a write that fails leaves the registrations as they were.
   */
  private plan(registrations: Registration[], limit = this.maxRegistrations): Plan {
    const fresh = new Map<string, { registration: Registration; json: string }>();
    for (const registration of registrations) {
      fresh.delete(registration.id);
      fresh.set(registration.id, { registration, json: JSON.stringify(registration) });
    }
    const kept = this.saved.size - [...fresh.keys()].filter((id) => this.saved.has(id)).length;
    let over = kept + fresh.size - limit;
    const dropped: string[] = [];
    let body: Buffer[];
    if (kept < this.saved.size) {
      // A registration made again moves: its JSON is taken out of the middle, so all are made anew (rare).
      const parts: string[] = [];
      for (const [id, registration] of this.saved) {
        if (fresh.has(id)) continue;
        if (over-- > 0) dropped.push(id);
        else parts.push(JSON.stringify(registration));
      }
      body = [Buffer.from(parts.join(','))];
    } else {
      let cut = 0;
      for (const [id, size] of this.sizes) {
        if (over <= 0) break;
        dropped.push(id);
        cut += size + 1;
        over--;
      }
      body = cutFront(this.body, cut);
    }
    // More new ones than the limit (a batch larger than --max-jobs): the oldest of them go too.
    const added = [...fresh.values()].filter((_, i) => i >= over);
    if (added.length) body.push(Buffer.from(added.map((a) => a.json).join(',')));
    if (body.length > MAX_PARTS) body = [Buffer.concat(withCommas(body))];
    // The document as JSON.stringify writes it, with the registrations' bytes spliced in.
    const shell = JSON.stringify({ ...this.db.data, registrations: [] });
    const at = shell.indexOf(REGISTRATIONS) + REGISTRATIONS.length - 1;
    const document = [Buffer.from(shell.slice(0, at)), ...withCommas(body), Buffer.from(shell.slice(at))];
    return { dropped, added, document, body };
  }

  private apply(plan: Plan): void {
    for (const id of plan.dropped) {
      this.saved.delete(id);
      this.sizes.delete(id);
    }
    for (const { registration, json } of plan.added) {
      this.saved.delete(registration.id);
      this.saved.set(registration.id, registration);
      this.sizes.delete(registration.id);
      this.sizes.set(registration.id, Buffer.byteLength(json));
    }
    this.body = plan.body;
  }
}

/** The document's own `registrations` field, empty (within JSON strings a quote is escaped, so the first is the field). */
const REGISTRATIONS = '"registrations":[]';
const COMMA = Buffer.from(',');
/** Parts of the registrations' JSON kept before they are joined into one (once every so many saves). */
const MAX_PARTS = 64;

/** The parts with a comma between each two. */
function withCommas(parts: Buffer[]): Buffer[] {
  return parts.flatMap((part, i) => (i ? [COMMA, part] : [part]));
}

/** The parts (joined by commas) less their first `bytes`, which end just after a comma or at the end. */
function cutFront(parts: Buffer[], bytes: number): Buffer[] {
  const kept = [...parts];
  while (kept.length && bytes >= kept[0]!.length + 1) bytes -= kept.shift()!.length + 1;
  if (kept.length && bytes > 0) kept[0] = kept[0]!.subarray(bytes);
  return kept;
}

interface Plan {
  /** Saved registrations that go, by id. */
  dropped: string[];
  /** New registrations (and those made again) with their JSON, oldest first. */
  added: { registration: Registration; json: string }[];
  /** What the file will hold, in parts. */
  document: Buffer[];
  /** Its registrations' part. */
  body: Buffer[];
}

async function setAside(dir: string, path: string): Promise<string> {
  const damaged = join(dir, 'damaged');
  await ensurePrivateDir(damaged);
  const aside = join(damaged, `jobs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await rename(path, aside);
  return aside;
}
