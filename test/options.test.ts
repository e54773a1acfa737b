import { describe, expect, it } from 'vitest';
import { start } from '../src/start.js';
import { DEFAULTS } from '../src/options.js';
import { formatBytes, parseBytes } from '../src/units.js';
import { runCli, tempDir } from './helpers/index.js';

describe('options and units', () => {
  it('library errors name the option the caller passed, not a CLI flag', async () => {
    const dir = await tempDir();
    for (const [options, message] of [
      [{ jobTtlMs: 0 }, /^jobTtlMs must be a whole number of at least 1; got 0\.$/],
      [{ maxJobs: -1 }, /^maxJobs must be a whole number of at least 1/],
      [{ maxBody: 1.5 }, /^maxBody must be a whole number/],
      [{ port: 70_000 }, /^port must be a port number from 0 to 65535/],
      [{ publicUrl: 'ftp://x' }, /^publicUrl must start with https:\/\/ or http:\/\//],
      [{ jobIdPaths: ['cookie.x'] }, /^jobIdPaths "cookie.x" is not a rule/],
    ] as const) {
      await expect(start({ dir, tunnel: false, port: 0, inspectorPort: 0, ...options } as any), JSON.stringify(options)).rejects.toThrow(message);
    }
  });

  it('sizes are decimal, in flags and in output alike', async () => {
    expect(parseBytes('10mb')).toBe(10_000_000);
    expect(parseBytes('512kb')).toBe(512_000);
    expect(parseBytes('1MiB')).toBe(1_048_576);
    expect(parseBytes('lots')).toBeNaN();
    expect(formatBytes(20_000_000)).toBe('20 MB');
    expect(formatBytes(DEFAULTS.maxBody)).toBe('10 MB');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(999_999)).toBe('1 MB');
    const help = await runCli(['start', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--max-body <size> largest body accepted; larger is answered 413 (default: 10mb)');
  });
});
