import { aiApp } from './seeds/ai.js';
import { type AppOptions, type Client, type SeedApp, startApp } from './seeds/app.js';
import { SEED_KEYS, SEED_SECRETS, type SeedName } from './seeds/common.js';
import { deepaffectsApp } from './seeds/deepaffects.js';
import { tasksApp } from './seeds/tasks.js';
import { videodbApp } from './seeds/videodb.js';

// A user's app for each seed API, written the way a real integration is: it calls `apiBase` (the
// fake provider, hook-catch's provider port, or a mock) with the API's request shape and
// credentials, names its own webhook URL, and verifies the webhooks it receives. Closed after the test.

export type { ApiAnswer, AppOptions, ReceivedWebhook, SeedApp, SubmitInput } from './seeds/app.js';

const CLIENTS: Record<SeedName, Client> = { ai: aiApp, videodb: videodbApp, deepaffects: deepaffectsApp, tasks: tasksApp };

/** A running app of one seed API, its webhook receiver on 127.0.0.1, port 0. */
export const seedApp = (seed: SeedName, options: AppOptions): Promise<SeedApp> =>
  startApp(
    CLIENTS[seed],
    options.apiKey === undefined ? SEED_KEYS[seed] : options.apiKey,
    options.secret === undefined ? SEED_SECRETS[seed] : options.secret,
    options,
  );
