import { aiProvider } from './seeds/ai.js';
import { SEED_KEYS, SEED_SECRETS, type SeedName } from './seeds/common.js';
import { deepaffectsProvider } from './seeds/deepaffects.js';
import { type ProviderOptions, type SeedProvider, type Shape, startProvider } from './seeds/provider.js';
import { tasksProvider } from './seeds/tasks.js';
import { videodbProvider } from './seeds/videodb.js';

// Fake async-API providers modelled on the four seed APIs (/work/shared/seeds): each a real HTTP
// server on 127.0.0.1, port 0, that opens jobs, answers status polls, and sends signed webhooks with
// its provider's retry schedule when told to complete a job. Closed after the test.

export type { Call, CompleteOptions, Delivery, ProviderOptions, SeedJob, SeedProvider } from './seeds/provider.js';
export { isLoopback, SEED_KEYS, SEED_SECRETS, SEEDS, type SeedName } from './seeds/common.js';

const SHAPES: Record<SeedName, Shape> = { ai: aiProvider, videodb: videodbProvider, deepaffects: deepaffectsProvider, tasks: tasksProvider };

/** A running fake provider of one seed API. */
export const seedProvider = (seed: SeedName, options: ProviderOptions = {}): Promise<SeedProvider> =>
  startProvider(SHAPES[seed], options.apiKey ?? SEED_KEYS[seed], options.secret ?? SEED_SECRETS[seed], options);
