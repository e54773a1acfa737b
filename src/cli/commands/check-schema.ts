import { shortId } from '../../capture/ids.js';
import { loadSpec } from '../../schema-check/load.js';
import { checkStored, type StoredCheck } from '../../schema-check/stored.js';
import { chalkFor } from '../../terminal/color.js';
import { formatTime } from '../../units.js';

/** 0 every capture checked is valid (unchecked ones do not fail), 1 one is invalid. */
export const CHECK_EXIT = { valid: 0, invalid: 1 } as const;

export interface SchemaCheckOptions {
  dir: string;
  schema: string;
  refs: string[];
  events: string[];
  json?: boolean;
}

/** `hook-catch check --schema FILE`: stored captures against the spec, a line each and a summary; returns the exit code. */
export async function checkSchema(options: SchemaCheckOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const spec = await loadSpec(options.schema);
  const checked = await checkStored(spec, options);
  const counts = countsOf(checked);
  if (options.json) stdout.write(JSON.stringify({ schema: spec.file, ...counts, items: checked.items }, null, 2) + '\n');
  else report(checked, counts, spec.file, stdout, stderr);
  return counts.invalid ? CHECK_EXIT.invalid : CHECK_EXIT.valid;
}

function countsOf(checked: StoredCheck) {
  const counts = { valid: 0, invalid: 0, unchecked: 0, skipped: checked.skipped };
  for (const item of checked.items) counts[item.schema.verdict]++;
  return counts;
}

/**
 * `12:04:05  7hz2kq  order.created   ✗ invalid  webhooks.orderCreated` and its errors below it, one a
 * line; then `3 checked against openapi.yaml: 1 valid, 1 invalid, 1 unchecked (…)` on stderr.
 */
function report(checked: StoredCheck, counts: ReturnType<typeof countsOf>, file: string, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const c = chalkFor(stdout);
  const width = Math.min(32, Math.max(5, ...checked.items.map((item) => (item.event ?? '-').length)));
  for (const { id, receivedAt, event, schema } of checked.items) {
    const head = `${c.dim(formatTime(receivedAt, true))}  ${c.dim(shortId(id))}  ${(event ?? '-').padEnd(width)}  `;
    if (schema.verdict === 'valid') stdout.write(`${head}${c.green('✓ valid')}  ${c.dim(schema.against ?? '')}\n`);
    else if (schema.verdict === 'unchecked') stdout.write(`${head}${c.dim(`? unchecked: ${schema.reason}`)}\n`);
    else stdout.write(`${head}${c.red('✗ invalid')}  ${c.dim(schema.against ?? '')}\n${(schema.errors ?? []).map((e) => `    ${c.red(e)}\n`).join('')}`);
  }
  const total = checked.items.length;
  const skipped = counts.skipped ? `; ${counts.skipped} not webhooks (provider-port calls, polled answers, refused requests) left out` : '';
  const unchecked = counts.unchecked ? ` (unchecked ones do not fail the check)` : '';
  const summary =
    total === 0
      ? `No stored webhook to check against ${file}${skipped}.`
      : `${total} checked against ${file}: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unchecked} unchecked${unchecked}${skipped}.`;
  stderr.write((counts.invalid ? c.red(summary) : c.dim(summary)) + '\n');
}
