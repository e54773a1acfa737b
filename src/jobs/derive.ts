import type { RequestLog } from '../store/request-log.js';
import type { Registration } from './registrations.js';
import type { JobRegistry } from './registry.js';

/**
 * Rebuilds the jobs from what is kept: the registrations first, then every stored request, oldest
 * first, matched again. Quietly (this is not news), and in slices so that requests arriving
 * meanwhile are not held up.
 */
export async function deriveJobs(registry: JobRegistry, registrations: Registration[], store: RequestLog, signal?: AbortSignal): Promise<void> {
  registry.quietly(() => {
    for (const registration of registrations) registry.register(registration);
  });
  for await (const batch of store.readAll()) {
    if (signal?.aborted) return;
    registry.quietly(() => {
      for (const request of batch) registry.record(request);
    });
  }
}
