import { readFileSync } from 'node:fs';

/** True when `pid` is a live process that could be hook-catch (a Node.js process, where that can be told). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|hook-catch/.test(cmdline);
  } catch {
    return true;
  }
}
