// The file system's own speed for what a store of large bodies does: append `bytes`-sized writes to
// a file, one after another, for `seconds` (the file is started again past 1 GB, as hook-catch's
// capped store drops its oldest). Usage: node bench/disk-append.js <dir> <bytes> <seconds>; prints
// one JSON line {bytesPerSec, writes} when done.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [dir, bytesArg, secondsArg] = process.argv.slice(2);
const chunk = Buffer.alloc(Number(bytesArg), 0x61);
const file = join(dir, 'append.bin');
const FILE_LIMIT = 1e9;
let fd = openSync(file, 'w', 0o600);
let inFile = 0;
let writes = 0;
const t0 = performance.now();
const until = t0 + Number(secondsArg) * 1000;
while (performance.now() < until) {
  writeSync(fd, chunk);
  writes++;
  inFile += chunk.length;
  if (inFile >= FILE_LIMIT) {
    closeSync(fd);
    fd = openSync(file, 'w', 0o600);
    inFile = 0;
  }
}
const elapsedS = (performance.now() - t0) / 1000;
closeSync(fd);
rmSync(file, { force: true });
process.stdout.write(JSON.stringify({ bytesPerSec: (writes * chunk.length) / elapsedS, writes }) + '\n');
