import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Stripe from 'stripe';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { childEnv, json, runCli, send, spawnCli, startHookCatch, tempDir } from '../helpers/index.js';
import { paddleSignature } from '../helpers/paddle.js';

// --verify as a user runs it: the banner, one line per webhook with its mark, --json, the API, the
// `verify` command; and no secret anywhere hook-catch writes.

const stripe = new Stripe('sk_test_not_used');
const STRIPE_SECRET = 'whsec_cli_stripe_secret_4f9a';
const GITHUB_SECRET = 'gh-cli-secret-77b1';
const payload = JSON.stringify({ id: 'evt_cli', type: 'charge.succeeded' }, null, 2);
const stripeHeader = (secret = STRIPE_SECRET, timestamp?: number) => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

/** Every file under `dir`, read whole. */
async function everyFile(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'latin1')));
  return texts.join('\n');
}

describe('start --verify', () => {
  it('the banner names what is checked; each line carries ✓ or ✗ and why; secrets come from the environment and are never printed or stored', async () => {
    const dir = await tempDir();
    const env = childEnv({ STRIPE_WEBHOOK_SECRET: STRIPE_SECRET, MY_GITHUB: GITHUB_SECRET });
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--verify', 'stripe', '--verify', '/gh=github:$MY_GITHUB'], { env });
    await cli.printed(/Waiting for webhooks/);
    expect(cli.stdout()).toMatch(/Verify\s+stripe on every path {2}each signature is checked and its verdict kept\n\s+github on \/gh/);
    const base = /Webhook\s+(http:\/\/127\.0\.0\.1:\d+)\/webhook/.exec(cli.stdout())![1]!;
    await send(`${base}/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeHeader() }, body: payload });
    await cli.printed(/✓ stripe/);
    await send(`${base}/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload });
    await cli.printed(/✗ stripe: signature header missing \(Stripe-Signature\)/);
    const gh = await octokitSign(GITHUB_SECRET, payload);
    await send(`${base}/gh/push`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': gh }, body: payload });
    await cli.printed(/✓ github/);
    await send(`${base}/gh/push`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeHeader() }, body: payload });
    await cli.printed(/✗ github: signature header missing \(X-Hub-Signature-256\)/);
    cli.child.kill('SIGINT');
    await cli.exited;
    const shown = await runCli(['show', 'last', '--dir', dir]);
    expect(shown.stdout).toMatch(/^signature ✗ github: signature header missing \(X-Hub-Signature-256\)$/m);
    const everything = cli.stdout() + cli.stderr() + shown.stdout + (await everyFile(dir));
    expect(everything).not.toContain(STRIPE_SECRET);
    expect(everything).not.toContain(GITHUB_SECRET);
  });

  it('--json: the ready line lists the checks without secrets, each request line has its verdict', async () => {
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--verify', STRIPE_SECRET, '--verify-tolerance', '2m']);
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    expect(ready.verify).toEqual(['the scheme the headers show on every path']);
    const old = Math.floor(Date.now() / 1000) - 180;
    await send(ready.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeHeader(STRIPE_SECRET, old) },
      body: payload,
    });
    const line = await cli.jsonLine((v) => v.type === 'request');
    expect(line.signature).toEqual({ verdict: 'invalid', scheme: 'stripe', detected: true, reason: 'timestamp 3 min old, tolerance 2 min' });
    const status = await (await fetch(`${ready.inspectorUrl}/api/status`)).text();
    expect(JSON.parse(status).verify).toEqual([
      { scheme: 'auto', path: null, header: null, toleranceSeconds: 120, text: 'the scheme the headers show on every path' },
    ]);
    cli.child.kill('SIGINT');
    await cli.exited;
    expect(cli.stdout() + cli.stderr() + status + (await everyFile(dir))).not.toContain(STRIPE_SECRET);
  });

  it('a secret that cannot be had is one line that names the variable, never the secret', async () => {
    const dir = await tempDir();
    const unset = await runCli(['start', '--port', '0', '--dir', dir, '--verify', 'stripe'], { env: childEnv({ STRIPE_WEBHOOK_SECRET: '' }) });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toBe(
      'hook-catch: --verify: the environment variable STRIPE_WEBHOOK_SECRET is not set (it should hold the signing secret), or give it: --verify stripe:SECRET.\n',
    );
    const badSvix = await runCli(['start', '--port', '0', '--dir', dir, '--verify', 'svix:not*base64*at-all']);
    expect(badSvix.code).toBe(1);
    expect(badSvix.stderr).toBe("hook-catch: --verify svix: a Svix secret is whsec_ followed by base64, as the provider's dashboard shows it.\n");
    const noPath = await runCli(['start', '--port', '0', '--dir', dir, '--verify', '/billing']);
    expect(noPath.stderr).toMatch(/^hook-catch: --verify takes \[\/PATH=\]SCHEME\[:SECRET\]/);
  });
});

describe('hook-catch verify <id> and POST /api/requests/:id/verify', () => {
  it('tries secrets on a stored capture: valid exits 0, invalid 2 with the reason, several secrets say which one signed it', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const reply = await send(`${hc.receiverUrl}/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeHeader() },
      body: payload,
    });
    const id = json(reply).id;
    expect((await hc.store.get(id))!.signature).toBeUndefined(); // no --verify: no verdict kept

    const valid = await runCli(['verify', id, '--secret', STRIPE_SECRET, '--dir', dir]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/\n✓ stripe \(scheme found from the headers\)\n$/);
    const wrong = await runCli(['verify', 'last', '--scheme', 'stripe', '--secret', 'whsec_wrong', '--dir', dir]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('✗ stripe: signed with another secret, or the body differs from what was signed');
    const several = await runCli(['verify', id, '--secret', 'whsec_wrong', '--secret', '$THE_SECRET', '--json', '--dir', dir], {
      env: childEnv({ THE_SECRET: STRIPE_SECRET }),
    });
    expect(several.code).toBe(0);
    const out = JSON.parse(several.stdout);
    expect(out.signature).toEqual({ verdict: 'valid', scheme: 'stripe', detected: true });
    expect(out.secrets.map((v: { verdict: string }) => v.verdict)).toEqual(['invalid', 'valid']);
    expect(several.stdout).not.toContain(STRIPE_SECRET);
    const fromEnv = await runCli(['verify', id, '--scheme', 'stripe', '--dir', dir], { env: childEnv({ STRIPE_WEBHOOK_SECRET: STRIPE_SECRET }) });
    expect(fromEnv.code).toBe(0);
    const unknown = await runCli(['verify', 'zzzzzz', '--secret', 'x', '--dir', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^hook-catch: No stored request matches "zzzzzz"/);

    const api = (body: object) =>
      send(`${hc.inspectorUrl}/api/requests/${id}/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(json(await api({ secret: STRIPE_SECRET }))).toEqual({ signature: { verdict: 'valid', scheme: 'stripe', detected: true } });
    const asGithub = json(await api({ scheme: 'github', secret: STRIPE_SECRET }));
    expect(asGithub.signature).toEqual({ verdict: 'invalid', scheme: 'github', reason: 'signature header missing (X-Hub-Signature-256)' });
    const noSecret = await api({ scheme: 'stripe' });
    expect(noSecret.status).toBe(400);
    expect(json(noSecret).error).toMatch(/^Give the signing secret/);
    const badScheme = await api({ scheme: 'paypal', secret: 'hunter2' });
    expect(badScheme.status).toBe(400);
    expect(badScheme.body.toString()).not.toContain('hunter2');
  });
});

describe("Paddle: its SDK's 5 s tolerance, from start --verify to `verify` on a stored capture", () => {
  const PADDLE_SECRET = 'pdl_ntfset_01hv8wptq8987qeep44cyrewp9_cliSecret4f9aQ2w';
  const paddleBody = JSON.stringify({ event_id: 'evt_cli', event_type: 'subscription.activated', data: { id: 'sub_01' } });
  const old = () => Math.floor(Date.now() / 1000) - 3600;

  it('--verify paddle reads its variable and allows 5 s unless a tolerance is given; verify judges at arrival and --tolerance widens it', async () => {
    const dir = await tempDir();
    const env = childEnv({ PADDLE_NOTIFICATION_WEBHOOK_SECRET: PADDLE_SECRET });
    const args = ['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json'];
    const cli = spawnCli([...args, '--verify', 'paddle', '--verify', '/auto=$PADDLE_NOTIFICATION_WEBHOOK_SECRET'], { env });
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    const status = await (await fetch(`${ready.inspectorUrl}/api/status`)).text();
    expect(JSON.parse(status).verify).toEqual([
      { scheme: 'paddle', path: null, header: null, toleranceSeconds: 5, text: 'paddle on every path' },
      { scheme: 'auto', path: '/auto', header: null, toleranceSeconds: null, text: 'the scheme the headers show on /auto' },
    ]);
    const post = async (path: string, ts: number) => {
      const headers = { 'Content-Type': 'application/json', 'Paddle-Signature': paddleSignature(PADDLE_SECRET, ts, paddleBody) };
      const id = json(await send(`${ready.webhookUrl.replace(/\/webhook$/, '')}${path}`, { method: 'POST', headers, body: paddleBody })).id;
      return { id, line: await cli.jsonLine((v) => v.type === 'request' && v.id === id) };
    };
    const fresh = await post('/webhook', Math.floor(Date.now() / 1000));
    expect(fresh.line.signature).toEqual({ verdict: 'valid', scheme: 'paddle' });
    const stale = await post('/webhook', old());
    expect(stale.line.signature).toEqual({ verdict: 'invalid', scheme: 'paddle', reason: 'timestamp 1 h old, tolerance 5 s' });
    const detected = await post('/auto/paddle', old());
    expect(detected.line.signature).toEqual({ verdict: 'invalid', scheme: 'paddle', detected: true, reason: 'timestamp 1 h old, tolerance 5 s' });
    cli.child.kill('SIGINT');
    await cli.exited;

    const again = await runCli(['verify', stale.id, '--scheme', 'paddle', '--dir', dir], { env });
    expect(again.code).toBe(2);
    expect(again.stdout.split('\n')[1]).toBe('✗ paddle: timestamp 1 h old, tolerance 5 s');
    const wider = await runCli(['verify', stale.id, '--scheme', 'paddle', '--tolerance', '2h', '--dir', dir], { env });
    expect(wider.code).toBe(0);
    expect(wider.stdout.split('\n')[1]).toBe('✓ paddle');
    const bare = await runCli(['verify', fresh.id, '--secret', '$PADDLE_NOTIFICATION_WEBHOOK_SECRET', '--dir', dir], { env });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('\n✓ paddle (scheme found from the headers)\nverdict kept when it arrived: ✓ paddle\n');
    const unset = await runCli(['verify', fresh.id, '--scheme', 'paddle', '--dir', dir], { env: childEnv({ PADDLE_NOTIFICATION_WEBHOOK_SECRET: '' }) });
    expect(unset.stderr).toBe(
      'hook-catch: --secret: the environment variable PADDLE_NOTIFICATION_WEBHOOK_SECRET is not set (it should hold the signing secret), or give it: --secret paddle:SECRET.\n',
    );
    const everything = cli.stdout() + cli.stderr() + status + again.stdout + wider.stdout + bare.stdout + (await everyFile(dir));
    expect(everything).not.toContain(PADDLE_SECRET);
  });
});
