import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureFileName } from '../src/fixtures/file-name.js';
import type { HookCatch } from '../src/start.js';
import { runCli, send, startHookCatch, tempDir } from './helpers/index.js';

/** Sends a webhook to `path` and returns the id it was stored under. */
async function deliver(hc: HookCatch, path: string, headers: Record<string, string> = {}): Promise<string> {
  const reply = await send(`${hc.receiverUrl}${path}`, {
    method: 'POST',
    body: '{"event":"paid"}',
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  expect(reply.status).toBe(200);
  return String(reply.headers['x-hook-catch-id']);
}

/** The name export gives this capture's fixture file (or, with `har`, the HAR file of `ids`). */
async function nameOf(hc: HookCatch, ids: string[], ext: '.json' | '.har' = '.json'): Promise<string> {
  const first = (await hc.store.get(ids[0]!))!;
  return ext === '.har'
    ? fixtureFileName(first.receivedAt, `${ids.length}-requests`, ids.at(-1)!, ext)
    : fixtureFileName(first.receivedAt, first.path, first.id);
}

/** What an export must leave alone: a file, a folder with a file in it, and where a dangling link points. */
async function victims(root: string) {
  const file = join(root, 'victim.txt');
  const folder = join(root, 'victim-dir');
  await writeFile(file, 'precious\n');
  await mkdir(folder);
  await writeFile(join(folder, 'inside.txt'), 'also precious\n');
  return { file, folder, nowhere: join(root, 'nowhere') };
}

async function expectUntouched(v: Awaited<ReturnType<typeof victims>>): Promise<void> {
  expect(await readFile(v.file, 'utf8')).toBe('precious\n');
  expect(await readdir(v.folder)).toEqual(['inside.txt']);
  expect(await readFile(join(v.folder, 'inside.txt'), 'utf8')).toBe('also precious\n');
  await expect(lstat(v.nowhere)).rejects.toThrow(/ENOENT/);
}

/** A regular file (not a link), owner-only, holding JSON. */
async function expectPrivateFile(path: string): Promise<void> {
  const stats = await lstat(path);
  expect(stats.isFile()).toBe(true);
  expect(stats.mode & 0o777).toBe(0o600);
  JSON.parse(await readFile(path, 'utf8'));
}

const mode = async (path: string) => (await lstat(path)).mode & 0o777;

describe('export never writes through a symlink', () => {
  it('offline (the CLI on the store): a link at a file name, to a file, a folder or nowhere, is replaced by the file; what it pointed to is untouched', async () => {
    const hc = await startHookCatch();
    const ids = [await deliver(hc, '/a'), await deliver(hc, '/b'), await deliver(hc, '/c')];
    const root = await tempDir();
    const v = await victims(root);
    const out = join(root, 'out');
    await mkdir(out);
    const names = await Promise.all(ids.map((id) => nameOf(hc, [id])));
    await symlink(v.file, join(out, names[0]!));
    await symlink(v.folder, join(out, names[1]!));
    await symlink(v.nowhere, join(out, names[2]!));
    const har = await nameOf(hc, ids, '.har');
    await symlink(v.file, join(out, har));

    const run = await runCli(['export', '--out', out, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(names.map((name) => join(out, name)));
    const asHar = await runCli(['export', '--format', 'har', '--out', out, '--dir', hc.dir]);
    expect(asHar.code).toBe(0);
    expect(asHar.stdout.trim()).toBe(join(out, har));

    await expectUntouched(v);
    for (const name of [...names, har]) await expectPrivateFile(join(out, name));
    // No temporary file left behind.
    expect((await readdir(out)).sort()).toEqual([...names, har].sort());
  });

  it('through the running instance (hc.export): the same', async () => {
    const hc = await startHookCatch();
    const id = await deliver(hc, '/lib');
    const root = await tempDir();
    const v = await victims(root);
    const out = join(root, 'out');
    await mkdir(out);
    await symlink(v.file, join(out, await nameOf(hc, [id])));
    const [file] = await hc.export([id], out);
    await expectUntouched(v);
    await expectPrivateFile(file!);
    const [har] = await hc.export([id], out, { format: 'har' });
    await expectPrivateFile(har!);
    expect(await readdir(out)).toHaveLength(2);
  });

  it('--out that is itself a link to a folder is followed (the user chose it); a folder made for --out is owner-only', async () => {
    const hc = await startHookCatch();
    const id = await deliver(hc, '/d');
    const root = await tempDir();
    const real = join(root, 'real');
    await mkdir(real);
    const linked = join(root, 'linked');
    await symlink(real, linked);
    const run = await runCli(['export', id, '--out', linked, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    await expectPrivateFile(join(real, await nameOf(hc, [id])));

    const made = join(root, 'new', 'fixtures');
    expect((await runCli(['export', id, '--out', made, '--dir', hc.dir])).code).toBe(0);
    expect([await mode(join(root, 'new')), await mode(made)]).toEqual([0o700, 0o700]);
    await expectPrivateFile(join(made, await nameOf(hc, [id])));
  });

  it('a folder where a file should go, or a file (or a link to nothing) as --out: one line, exit 1, nothing left behind', async () => {
    const hc = await startHookCatch();
    const id = await deliver(hc, '/e');
    const out = await tempDir();
    const name = await nameOf(hc, [id]);
    await mkdir(join(out, name));
    const run = await runCli(['export', id, '--out', out, '--dir', hc.dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`hook-catch: Cannot write the fixtures into ${out}: ${name} is a folder there: move it away, or choose another folder.\n`);
    expect(await readdir(out)).toEqual([name]);
    expect(await readdir(join(out, name))).toEqual([]);

    // --out a file, or a link to nothing: said as such.
    const file = join(out, 'a-file');
    await writeFile(file, 'x');
    const dangling = join(out, 'dangling');
    await symlink(join(out, 'nowhere'), dangling);
    const onFile = await runCli(['export', id, '--out', file, '--dir', hc.dir]);
    expect(onFile.stderr).toBe(`hook-catch: ${file} is a file, not a folder: choose a folder for the fixtures.\n`);
    const onLink = await runCli(['export', id, '--out', dangling, '--dir', hc.dir]);
    expect(onLink.stderr).toBe(`hook-catch: ${dangling} cannot be opened (a link to nothing?), not a folder: choose a folder for the fixtures.\n`);
    expect([onFile.code, onLink.code]).toEqual([1, 1]);
    expect(await readFile(file, 'utf8')).toBe('x');
    await expect(lstat(join(out, 'nowhere'))).rejects.toThrow(/ENOENT/);
  });
});

describe('exported files and credentials', () => {
  it('files are 0600; stderr names the credential-looking headers kept in clear and the flag that blanks them, never a value', async () => {
    const hc = await startHookCatch();
    await deliver(hc, '/billing', { Authorization: 'Bearer s3cret-token', 'Stripe-Signature': 't=1,v1=abc' });
    await deliver(hc, '/custom', { 'X-Acme-Token': 'tok-123', 'X-Trace': 'not a secret' });
    const out = await tempDir();

    const plain = await runCli(['export', '--out', out, '--dir', hc.dir]);
    expect(plain.code).toBe(0);
    for (const file of plain.stdout.trim().split('\n')) await expectPrivateFile(file);
    expect(plain.stderr).toContain(
      'hook-catch: note: the files hold the values of Authorization, Stripe-Signature, X-Acme-Token in clear (they are readable by you only); ' +
        '--redact Authorization,Stripe-Signature,X-Acme-Token blanks them.\n',
    );
    expect(plain.stderr).not.toMatch(/s3cret|v1=abc|tok-123/);

    // All of them among the usual secrets: --redact-default is offered too.
    const usual = await runCli(['export', 'last', '--out', out, '--redact', 'X-Acme-Token', '--dir', hc.dir]);
    expect(usual.stderr).not.toContain('note:');
    const billing = await runCli(['export', '--search', 'billing', '--out', out, '--dir', hc.dir]);
    expect(billing.stderr).toContain('--redact Authorization,Stripe-Signature or --redact-default blanks them.\n');

    // Nothing in clear, nothing said.
    const redacted = await runCli(['export', '--out', out, '--redact-default', '--redact', 'x-acme-token', '--dir', hc.dir]);
    expect(redacted.code).toBe(0);
    expect(redacted.stderr).not.toContain('note:');
    const har = await runCli(['export', '--format', 'har', '--out', out, '--dir', hc.dir]);
    await expectPrivateFile(har.stdout.trim());
    expect(har.stderr).toContain('note: the files hold the values of Authorization, Stripe-Signature, X-Acme-Token in clear');
  });
});
