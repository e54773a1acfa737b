import { stat } from 'node:fs/promises';
import { describe, HookCatchError } from '../errors.js';
import { inside } from '../fixtures/file-name.js';
import { diffableJson } from '../fixtures/fixture.js';
import { writeExportFile } from '../fixtures/write-file.js';
import type { JobRegistry } from '../jobs/registry.js';
import { readJobsOffline } from '../jobs/offline.js';
import type { Job } from '../jobs/types.js';
import { ensurePrivateDir } from '../store/files.js';
import type { RequestLog } from '../store/request-log.js';
import { toScenario } from './export.js';
import { redaction } from './redact.js';

export interface ScenarioExportOptions {
  /** Job ids; default every job submitted through the provider port. */
  jobs?: string[];
  /** More header or query names to redact. */
  redact?: string[];
  /** Names the defaults would redact, kept in clear. */
  keep?: string[];
  /** Request bodies larger than this are kept as size, type and hash. Default 256 kB; Infinity keeps every stored byte. */
  maxBodyBytes?: number;
}

export interface ScenarioExport {
  files: string[];
  /** What was redacted over all files: `header authorization`, `query apikey`. */
  redacted: string[];
}

/** Bodies up to this go into a scenario as bytes: a JSON submit fits, a media upload does not. */
export const SCENARIO_BODY_BYTES = 256_000;

/**
 * The library's `export --scenario`: reads the store in `from` (a running hook-catch's too, without
 * changing it) and writes one `<job id>.scenario.json` per job into `out`.
 */
export async function exportScenarios(from: string, out: string, options: ScenarioExportOptions = {}): Promise<ScenarioExport> {
  const { registry, log } = await readJobsOffline(from);
  try {
    return await writeScenarios(registry, log, out, options);
  } finally {
    await log.close();
  }
}

/** Writes one `<job id>.scenario.json` per job into `dir` (created owner-only if needed). */
export async function writeScenarios(registry: JobRegistry, log: RequestLog, dir: string, options: ScenarioExportOptions = {}): Promise<ScenarioExport> {
  const jobs = pickJobs(registry, options.jobs);
  await ensureFolder(dir);
  const files: string[] = [];
  const redacted = new Set<string>();
  for (const job of jobs) {
    const stored = await log.getMany([job.submit!.requestId, ...job.deliveries.map((d) => d.requestId)]);
    const r = redaction(options.redact, options.keep);
    if (!stored.some((request) => request.id === job.submit!.requestId)) {
      throw new HookCatchError(
        `The submit of job ${job.id} (${job.submit!.requestId}) is no longer stored (--max-requests dropped it): no scenario can be made of it.`,
      );
    }
    const scenario = toScenario(job, new Map(stored.map((request) => [request.id, request])), {
      redaction: r,
      maxBodyBytes: options.maxBodyBytes ?? SCENARIO_BODY_BYTES,
    });
    for (const what of r.done) redacted.add(what);
    const path = inside(dir, `${safeName(job.id)}.scenario.json`);
    await writeExportFile(path, diffableJson(scenario)).catch((error: unknown) => {
      throw new HookCatchError(`Cannot write ${path}: ${describe(error)}.`);
    });
    files.push(path);
  }
  return { files, redacted: [...redacted].sort() };
}

/** The jobs asked for, each with a recorded submit; every submitted job when none are named. */
function pickJobs(registry: JobRegistry, ids: string[] | undefined): Job[] {
  if (!ids?.length) {
    const all = registry.list().filter((job) => job.submit);
    if (all.length === 0) {
      throw new HookCatchError(
        'No job was submitted through the provider port here, so there is no scenario to write. Record one first: hook-catch start --provider <api base URL>, with your app calling the provider port.',
      );
    }
    return all.sort((a, b) => (a.submit!.at < b.submit!.at ? -1 : 1));
  }
  return ids.map((id) => {
    const job = registry.get(id);
    if (!job) throw new HookCatchError(`No job ${id} in this store. \`hook-catch jobs\` lists them.`);
    if (!job.submit) {
      throw new HookCatchError(
        `Job ${id} was not submitted through the provider port (start --provider), so its submit is not recorded: no scenario can be made of it.`,
      );
    }
    return job;
  });
}

async function ensureFolder(dir: string): Promise<void> {
  await ensurePrivateDir(dir).catch((error: unknown) => {
    throw new HookCatchError(`Cannot create ${dir} for the scenarios: ${describe(error)}.`);
  });
  const folder = await stat(dir).catch(() => null);
  if (!folder?.isDirectory()) throw new HookCatchError(`${dir} is not a folder: choose a folder for the scenarios.`);
}

/** A job id as a file name: only letters, digits, `.`, `_` and `-`. */
function safeName(id: string): string {
  return (
    id
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+/, '')
      .slice(0, 100) || 'job'
  );
}
