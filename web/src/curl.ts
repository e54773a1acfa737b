/** Headers curl sets itself, or that describe this connection rather than the request. */
const SKIP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect', 'keep-alive', 'te', 'upgrade']);

export interface CurlInput {
  method: string;
  /** Where to send it: the receiver's base URL and the captured path and query. */
  url: string;
  headers: [string, string][];
  /** The body as text when it is valid UTF-8 with no NUL byte (a shell argument cannot hold one); null when binary. */
  text: string | null;
  bodySize: number;
}

/**
 * A curl command that sends the same request again: the same method, path, query and headers in
 * order, and the exact body bytes. Text goes in a single-quoted argument, which the shell passes
 * byte for byte; a binary body has to come from a file, so the command reads `body.bin`.
 */
export function curlCommand(input: CurlInput): string {
  const parts = ['curl'];
  if (input.method === 'HEAD') parts.push('--head');
  else if (input.method !== 'GET' || input.bodySize > 0) parts.push('-X', quote(input.method));
  parts.push(quote(input.url));
  let hasType = false;
  for (const [name, value] of input.headers) {
    const lower = name.toLowerCase();
    if (SKIP.has(lower)) continue;
    if (lower === 'content-type') hasType = true;
    parts.push('-H', quote(`${name}: ${value}`));
  }
  let note = '';
  if (input.bodySize > 0) {
    // Without this, curl would add a Content-Type the sender never sent.
    if (!hasType) parts.push('-H', quote('Content-Type:'));
    if (input.text !== null && !input.text.includes('\0')) {
      parts.push('--data-binary', quote(input.text));
    } else {
      parts.push('--data-binary', '@body.bin');
      note = '# The body is binary: save it as body.bin first (the Download button), then run:\n';
    }
  }
  return note + parts.join(' \\\n  ');
}

/** POSIX shell single quotes: everything literal, a quote written as '\''. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
