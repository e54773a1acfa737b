/**
 * A reader that stops reading (`hook-catch list | head -1`) closes our stdout: end quietly, as every
 * Unix tool does, instead of printing a write error. Anything else on stdout is a real error.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw error;
  });
}

/** Each warning as one `hook-catch: warning: …` line on stderr (a damaged store line set aside, a replay the app will likely refuse). */
export function writeWarnings(stderr: NodeJS.WritableStream, warnings: Iterable<string>): void {
  for (const warning of warnings) stderr.write(`hook-catch: warning: ${warning}\n`);
}
