import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { start, type HookCatch } from '../../src/index.js';
import type { SignatureVerdict, VerifyInput } from '../../src/capture/signature.js';
import { json, rawRequest, send } from '../helpers/index.js';
import type { Ctx, Provider, Sent } from './providers.js';

// What the signature tests run on: one hook-catch per describe block that remembers each delivery
// and its verdict, a signer and sender per provider, and the final checks of every verdict shown
// and no secret written.

export const T = 10_000; // each test's timeout
export const now = () => Math.floor(Date.now() / 1000);
export const shortId = (id: string) => id.slice(-6);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts a terminal color is what it removes
const noAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Every form a secret could leak in: as given, and a whsec_ key's base64 without its prefix. */
const secretForms = (secrets: string[]) => secrets.flatMap((s) => (s.startsWith('whsec_') ? [s, s.slice(6)] : [s]));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

export interface Delivery {
  id: string;
  signature: SignatureVerdict | undefined;
  /** When hook-catch received it (epoch ms). */
  receivedAt: number;
}

/**
 * One hook-catch for a describe block (started before its tests, closed after them), its terminal
 * output kept, every delivery and its verdict remembered for the final checks.
 */
export function useHookCatch(verify: VerifyInput[], output: 'pretty' | 'json') {
  const state = { hc: undefined as unknown as HookCatch, printed: '', deliveries: [] as Delivery[], dir: '' };
  beforeAll(async () => {
    state.dir = await mkdtemp(join(tmpdir(), 'hook-catch-sig-'));
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => (state.printed += chunk.toString('utf8')));
    state.hc = await start({ port: 0, inspectorPort: 0, tunnel: false, dir: state.dir, output, stdout, stderr: stdout, verify });
  }, T);
  afterAll(async () => {
    await state.hc?.close();
    await rm(state.dir, { recursive: true, force: true });
  }, T);
  return {
    get hc() {
      return state.hc;
    },
    printed: () => state.printed,
    deliveries: state.deliveries,
    /** POSTs to the receiver, awaits its answer (the capture is stored by then) and reads the verdict from the store. */
    async deliver(target: string, body: string, headers: Sent, contentType: string): Promise<Delivery> {
      const reply = await send(`${state.hc.receiverUrl}${target}`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body });
      expect(reply.status).toBe(200);
      const { ok, id } = json<{ ok: boolean; id: string }>(reply);
      expect(ok).toBe(true);
      const record = await state.hc.store.get(id);
      expect(record).not.toBeNull();
      const delivery = { id, signature: record!.signature, receivedAt: Date.parse(record!.receivedAt) };
      state.deliveries.push(delivery);
      return delivery;
    },
    /** The same, the request target written exactly as given (node:http would percent-encode a ' in it). */
    async deliverRaw(target: string, body: string, headers: Sent, contentType: string): Promise<Delivery> {
      const head = [
        `POST ${target} HTTP/1.1`,
        `Host: 127.0.0.1:${state.hc.receiverPort}`,
        `Content-Type: ${contentType}`,
        ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`),
      ];
      const answer = await rawRequest(
        state.hc.receiverPort,
        `${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      const { id } = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { id: string };
      const record = await state.hc.store.get(id);
      expect(record!.url).toBe(target);
      const delivery = { id, signature: record!.signature, receivedAt: Date.parse(record!.receivedAt) };
      state.deliveries.push(delivery);
      return delivery;
    },
  };
}

export type Harness = ReturnType<typeof useHookCatch>;

/** The verdicts the same everywhere, and no secret in the store, the terminal or any API answer (a fixture export too). */
export async function expectVerdictsShownAndNoSecrets(h: Harness, secrets: string[], output: 'pretty' | 'json') {
  const { hc, deliveries } = h;
  const forms = secretForms(secrets);
  expect(deliveries.length).toBeGreaterThan(0);
  const answers: string[] = [];
  const status = await send(`${hc.inspectorUrl}/api/status`);
  answers.push(status.body.toString('utf8'));
  expect(json(status).verify.length).toBeGreaterThan(0);
  const list = await send(`${hc.inspectorUrl}/api/requests?limit=1000`);
  answers.push(list.body.toString('utf8'));
  const summaries = new Map<string, { signature?: SignatureVerdict }>(json(list).items.map((s: { id: string }) => [s.id, s]));
  for (const { id, signature } of deliveries) {
    expect(summaries.get(id)?.signature).toEqual(signature);
    const one = await send(`${hc.inspectorUrl}/api/requests/${id}`);
    answers.push(one.body.toString('utf8'));
    expect(json(one).signature).toEqual(signature);
    expect(json(one).summary.signature).toEqual(signature);
    const fixture = await send(`${hc.inspectorUrl}/api/requests/${id}/fixture`);
    expect(fixture.status).toBe(200);
    answers.push(fixture.body.toString('utf8'));
  }
  // The terminal shows each verdict (printed just after the answer went out).
  await expect.poll(() => deliveries.every(({ id }) => h.printed().includes(output === 'json' ? id : shortId(id))), { timeout: 5_000 }).toBe(true);
  const printed = noAnsi(h.printed());
  for (const { id, signature } of deliveries) {
    if (output === 'json') {
      const line = printed.split('\n').find((l) => l.includes(`"id":"${id}"`));
      expect(JSON.parse(line!)).toMatchObject({ type: 'request', id, signature });
      continue;
    }
    const line = printed.split('\n').find((l) => l.includes(` ${shortId(id)}`))!;
    const scheme = signature!.scheme ?? 'signature';
    const note =
      signature!.verdict === 'valid' ? `✓ ${scheme}` : signature!.verdict === 'invalid' ? `✗ ${scheme}: ${signature!.reason}` : `? ${scheme} unchecked`;
    expect(line).toContain(note);
  }
  await hc.close(); // everything written
  const files = await filesUnder(hc.dir);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = (await readFile(file)).toString('latin1');
    for (const secret of forms) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
  }
  for (const secret of forms) {
    expect(printed.includes(secret), `${secret} in the terminal output`).toBe(false);
    for (const answer of answers) expect(answer.includes(secret), `${secret} in an API answer`).toBe(false);
  }
}

export interface SentRequest {
  body: string;
  target: string;
  ctx: Ctx;
  headers: Sent;
}

export interface SignOverrides {
  secret?: string;
  at?: number;
  body?: string;
  /** The URL the provider called, when not the receiver's (a tunnel's). */
  url?: string;
}

export interface Changes {
  body?: string;
  headers?: Sent;
  drop?: string[];
}

/** What a scheme's own tests get: its hook-catch, a signer, a sender that checks the library agrees. */
export interface Tools {
  h: Harness;
  hooks: string;
  auto: string;
  signed(path: string, n: number, overrides?: SignOverrides): Promise<SentRequest>;
  deliver(request: SentRequest, changes?: Changes, librarySecret?: string): Promise<Delivery>;
}

/** A signer (the provider's library) and a sender that checks the library agrees with hook-catch. */
export function toolsFor(h: Harness, p: Provider) {
  /** A request as the provider signs it for `path` (the n-th body unless given), not yet sent. */
  async function signed(path: string, n: number, overrides: SignOverrides = {}): Promise<SentRequest> {
    const body = overrides.body ?? p.body(n);
    const target = p.target?.(path, body) ?? path;
    const ctx = { at: overrides.at ?? now(), url: `${overrides.url ?? h.hc.receiverUrl}${target}` };
    return { body, target, ctx, headers: await p.sign(body, overrides.secret ?? p.secret, ctx) };
  }
  /**
   * Sends `request` (its body or headers changed as given) and checks that the provider's library,
   * given the same bytes, headers, URL and `librarySecret` (and the moment it arrived), agrees with
   * hook-catch's verdict.
   */
  async function deliver(request: SentRequest, changes: Changes = {}, librarySecret = p.secret): Promise<Delivery> {
    const body = changes.body ?? request.body;
    const headers = Object.fromEntries(Object.entries({ ...request.headers, ...changes.headers }).filter(([n]) => !changes.drop?.includes(n)));
    const delivery = await h.deliver(request.target, body, headers, p.contentType);
    const accepted = await p.accepts(body, headers, librarySecret, { ...request.ctx, receivedAt: delivery.receivedAt });
    expect(delivery.signature?.verdict === 'valid', `hook-catch said ${JSON.stringify(delivery.signature)}, the library ${accepted}`).toBe(accepted);
    return delivery;
  }
  return { signed, deliver };
}
