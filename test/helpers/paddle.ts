import { createHmac } from 'node:crypto';
import { LogLevel, Paddle } from '@paddle/paddle-node-sdk';
import { vi } from 'vitest';

// Paddle Billing's signature, as Paddle publishes it (its SDK only checks: it has no signer), and
// the check of Paddle's own Node SDK, which is what a user's app runs.

/** Paddle's SDK, for its webhooks helper only (constructing it calls nothing). */
const sdk = new Paddle('pdl_sdbx_apikey_hook_catch_never_called', { logLevel: LogLevel.none });

/** `ts=<ts>;h1=<hex HMAC-SHA256 of "ts:body">`, by Paddle's published rule. */
export function paddleSignature(secret: string, ts: number, body: string | Buffer): string {
  return `ts=${ts};h1=${paddleH1(secret, ts, body)}`;
}

export function paddleH1(secret: string, ts: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${ts}:`).update(body).digest('hex');
}

/**
 * Paddle's SDK's verdict (`webhooks.isSignatureValid`), with its clock now or, given `atMs`, at that
 * moment (its tolerance is 5 seconds: the moment hook-catch received the webhook, for a verdict that
 * does not depend on how fast the test ran).
 */
export async function paddleAccepts(body: string, header: string | undefined, secret: string, atMs?: number): Promise<boolean> {
  if (header === undefined) return false;
  if (atMs === undefined) return check(body, header, secret);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(atMs);
  try {
    return await check(body, header, secret);
  } finally {
    vi.useRealTimers();
  }
}

async function check(body: string, header: string, secret: string): Promise<boolean> {
  try {
    return await sdk.webhooks.isSignatureValid(body, secret, header);
  } catch {
    return false; // a header it cannot read: "[Paddle] Invalid webhook signature"
  }
}

/** What an app does with Paddle's SDK: `webhooks.unmarshal`, which throws unless the signature verifies (now). */
export async function paddleUnmarshal(body: string, header: string, secret: string): Promise<{ eventType: string }> {
  return (await sdk.webhooks.unmarshal(body, secret, header)) as unknown as { eventType: string };
}
