// The module loader's hooks for record.mjs (they run on a thread of their own): each module loaded
// through import (ours, a package's entry, a node: module) is written down before it is loaded.
import { appendFileSync } from 'node:fs';

let out;

export function initialize(data) {
  out = data.out;
}

export function load(url, context, nextLoad) {
  appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
