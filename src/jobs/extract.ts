import { viewBody, VIEW_BYTES } from '../capture/body-view.js';
import type { CapturedRequest } from '../capture/capture.js';
import { HookCatchError } from '../errors.js';
import { isStatusKey, statusOfWord } from './status-words.js';
import type { PayloadStatus } from './types.js';

/** A user rule (`--job-id-path`): where a job id is, e.g. `body.response.request_id`, `header.x-job-id`. */
export interface JobIdRule {
  text: string;
  source: 'body' | 'header' | 'query' | 'path';
  steps: string[];
}

/** An id a webhook may belong to. A weak one (a bare `id`) only ever matches a registered job. */
export interface Candidate {
  id: string;
  matchedBy: string;
  weak: boolean;
}

export interface Extraction {
  candidates: Candidate[];
  statusWord: string | null;
  status: PayloadStatus | null;
}

/**
 * Bounds that keep a hostile body from stalling the receiver: bigger or deeper is not looked into.
 * `parseBytes` holds for the body as stored and as decoded (gzip, deflate, br): 1 MB = 1,000,000 bytes.
 */
export const LIMITS = { parseBytes: VIEW_BYTES, depth: 32, nodes: 20_000, idLength: 200 };

const ID_KEYS = new Set(
  (
    'jobid taskid requestid responseid transactionid executionid runid operationid predictionid batchid ' +
    'correlationid idempotencykey generationid workflowid conversionid'
  ).split(' '),
);
const ID_PARENTS = new Set(['job', 'task', 'request', 'operation', 'prediction', 'run', 'execution']);
/** `job_id`, `JobID`, `job-id` -> `jobid`. Keys repeat from payload to payload, so the answers are kept. */
const normalized = new Map<string, string>();
function normalize(key: string): string {
  let n = normalized.get(key);
  if (n === undefined) {
    n = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (normalized.size < 10_000) normalized.set(key, n);
  }
  return n;
}

/** Reads a rule; `name` is what the caller calls the setting (`--job-id-path`, `jobIdPaths`). */
export function parseRule(text: string, name = 'jobIdPaths'): JobIdRule {
  const [source, ...steps] = text.split('.');
  if ((source === 'body' || source === 'header' || source === 'query') && steps.length > 0 && steps.every(Boolean)) {
    return { text, source, steps: source === 'header' ? [steps.join('.').toLowerCase()] : source === 'query' ? [steps.join('.')] : steps };
  }
  if (source === 'path' && steps.length === 1 && steps[0] === 'last') return { text, source, steps };
  throw new HookCatchError(`${name} "${text}" is not a rule hook-catch knows; use body.<key>.<key>…, header.<name>, query.<name> or path.last.`);
}

/**
 * The ids a webhook may belong to (user rules first, then well-known keys, query, path) and its status
 * word. The body is read as JSON or as a form, after its Content-Encoding is undone (see body-view.ts).
 *
 * `registered` says whether an id is a job someone registered: once one is found and a status word
 * too, nothing further in the body can change which job the webhook goes to (a registered id found
 * first wins, and the first status word counts), so the body is looked into no further.
 */
export function extract(request: CapturedRequest, rules: JobIdRule[], registered: (id: string) => boolean = () => false): Extraction {
  const out: Extraction = { candidates: [], statusWord: null, status: null };
  // A refused request was never delivered (its sender got a 4xx): it names no job.
  if (request.refusal) return out;
  const seen = new Set<string>();
  let settled = false;
  const add = (value: unknown, matchedBy: string, weak = false) => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const id = String(value).trim();
    if (!id || id.length > LIMITS.idLength || seen.has(id)) return;
    seen.add(id);
    out.candidates.push({ id, matchedBy, weak });
    if (registered(id)) settled = true;
  };
  const body = viewBody(request, LIMITS.parseBytes).value;
  for (const rule of rules) add(applyRule(rule, request, body), `rule ${rule.text}`);
  if (body !== undefined) walk(body, add, out, () => settled);
  for (const [name, value] of request.query) if (ID_KEYS.has(normalize(name))) add(value, `query.${name}`);
  // A path segment is only a weak candidate: it names a job someone registered (now, or later, which
  // claims it), or one a `path.last` rule asks for; on its own it makes no job (`/some/odd/path`).
  const segments = request.path.split('/').filter(Boolean);
  if (segments.length > 0) add(safeDecode(segments[segments.length - 1]!), 'path', true);
  return out;
}

export function applyRule(rule: JobIdRule, request: CapturedRequest, body: unknown): unknown {
  switch (rule.source) {
    case 'header':
      return request.headers.find(([name]) => name.toLowerCase() === rule.steps[0])?.[1];
    case 'query':
      return request.query.find(([name]) => name === rule.steps[0])?.[1];
    case 'path':
      return safeDecode(request.path.split('/').filter(Boolean).pop() ?? '');
    case 'body': {
      let value = body;
      for (const step of rule.steps) {
        if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
        value = (value as Record<string, unknown>)[step];
      }
      return value;
    }
  }
}

interface Node {
  value: object;
  key: string;
  parent: Node | null;
  /** The normalized key this object sits under (`job`, `task` …). */
  under: string;
  depth: number;
}

/** `body.response.request_id`: built only for the few keys that turn out to matter. */
function pathOf(node: Node, key: string): string {
  let path = key;
  for (let n: Node | null = node; n; n = n.parent) path = `${n.key}.${path}`;
  return path;
}

/** Breadth first (the shallowest id wins), bounded in depth and in nodes visited; over once `settled()` and a status word is found. */
function walk(root: unknown, add: (value: unknown, matchedBy: string, weak?: boolean) => void, out: Extraction, settled: () => boolean): void {
  if (typeof root !== 'object' || root === null) return;
  const queue: Node[] = [{ value: root, key: 'body', parent: null, under: '', depth: 0 }];
  let visited = 0;
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    const { value } = node;
    const isArray = Array.isArray(value);
    const keys = isArray ? null : Object.keys(value);
    const count = isArray ? (value as unknown[]).length : keys!.length;
    for (let i = 0; i < count; i++) {
      if (++visited > LIMITS.nodes) return;
      const key = isArray ? String(i) : keys![i]!;
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object') {
        if (child !== null && node.depth < LIMITS.depth) {
          queue.push({ value: child, key, parent: node, under: isArray ? node.under : normalize(key), depth: node.depth + 1 });
        }
        continue;
      }
      if (isArray) continue;
      const k = normalize(key);
      if (ID_KEYS.has(k)) add(child, pathOf(node, key));
      else if (k === 'id') add(child, pathOf(node, key), !ID_PARENTS.has(node.under));
      else if (out.statusWord === null && typeof child === 'string' && isStatusKey(k)) {
        const status = statusOfWord(child);
        if (status) Object.assign(out, { statusWord: child, status });
      }
      if (out.statusWord !== null && settled()) return;
    }
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
