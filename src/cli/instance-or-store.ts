import { readJobsOffline } from '../jobs/offline.js';
import { RuleSet } from '../rules/rule-set.js';
import type { OwnAddresses } from '../send/target.js';
import { mustHaveStore } from '../store/files.js';
import type { RequestLog } from '../store/request-log.js';
import { openRulesFile } from '../rules/rules-file.js';
import { withWritableStore } from '../store/writable.js';
import type { Client } from '../client/client.js';
import { runningOn } from '../client/instance.js';
import type { Status } from '../wire/status.js';

// The one place a command learns whether hook-catch is running on its --dir: its work then goes
// through the running instance's API, or, when none runs, is done on the store itself. Reading the
// store (list, show, verify, export) needs no decision: it is read-only, beside an instance or not.
// Finding the running instance (instance.ts) is apart, for the commands that need nothing else.

/** What a command does either way. */
export interface Ways<T> {
  /** Through the running instance's API. */
  online: (client: Client) => Promise<T>;
  /** On the store itself, with no instance running. */
  offline: (store: OfflineStore) => Promise<T>;
}

/** The one decision: `online` when hook-catch runs on `dir`, else `offline` on its store. */
export async function withInstanceOrStore<T>(dir: string, ways: Ways<T>): Promise<T> {
  const client = await runningOn(dir);
  return client ? ways.online(client) : ways.offline(offlineStore(dir));
}

/** The store on `dir` (as given: messages name it so) with no instance running; each way in opens it, and closes what it opened. */
export interface OfflineStore {
  readonly dir: string;
  /** The requests and the jobs derived from them, read-only (nothing is changed), with the store's warnings. */
  jobs(): ReturnType<typeof readJobsOffline>;
  /** `work` on the request log, the folder taken meanwhile so that no `start` writes beside it; `what` says what was not done when it cannot be taken. */
  write<T>(what: string, work: (log: RequestLog) => Promise<T>): Promise<T>;
  /** The store's response rules; each change is saved at once. */
  rules(): Promise<RuleSet>;
}

function offlineStore(dir: string): OfflineStore {
  return {
    dir,
    jobs: () => readJobsOffline(dir),
    write: (what, work) => withWritableStore(dir, what, work),
    async rules() {
      await mustHaveStore(dir);
      const saved = await openRulesFile(dir, false);
      return new RuleSet(saved.rules, { save: saved.save, jobIdOf: () => null });
    },
  };
}

/** What a send must not loop back to: the running instance's ports and public URL (nothing when none runs). */
export function ownAddresses(client: Client | null): OwnAddresses {
  return { ports: client ? [client.instance.receiverPort, client.instance.inspectorPort] : [], publicUrl: client?.instance.publicUrl ?? null };
}

/** Where the running instance forwards every webhook (its --forward URL), if anywhere. */
export async function forwardUrlOf(client: Client): Promise<string | undefined> {
  return (await client.api<Status>('GET', '/api/status')).forward?.url;
}
