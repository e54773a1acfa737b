import { mockProvider, type MockEvent, type MockOptions, type MockProvider } from '../../src/index.js';
import { json, later, send } from './index.js';
import type { Recorded } from './recording-app.js';
import { LIVE_SUBMIT_BODY, SUBMIT_PATH } from './scenario.js';

// The app's side of the provider double's tests: a mock on port 0 (closed after the test), a submit, a poll, an event awaited.

export async function mock(options: MockOptions): Promise<MockProvider> {
  const provider = await mockProvider({ port: 0, ...options });
  later(() => provider.close());
  return provider;
}

/** The app submits a job to the mock, naming `webhookUrl`; the fresh job id from the answer. */
export async function submit(provider: MockProvider, webhookUrl: string, body = LIVE_SUBMIT_BODY) {
  const reply = await send(`${provider.url}${SUBMIT_PATH(webhookUrl)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  return { reply, id: reply.status === 201 ? (json(reply).jobId as string) : '' };
}

export const poll = (provider: MockProvider, id: string) => send(`${provider.url}/ai/status/v1/jobs/${id}`, { headers: { Authorization: 'Bearer live' } });
export const header = (r: Recorded, name: string) => r.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

/** Resolves with the first event `match` accepts. */
export function nextEvent(provider: MockProvider, match: (event: MockEvent) => boolean, timeoutMs = 20_000): Promise<MockEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such event within ${timeoutMs} ms`)), timeoutMs);
    const stop = provider.onEvent((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}
