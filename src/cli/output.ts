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
