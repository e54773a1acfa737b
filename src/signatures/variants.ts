/** Bodies larger than this are not re-serialized to look for what was signed (it is only a diagnosis). */
const MAX_DIAGNOSED_BYTES = 1_000_000;

/**
 * What a body may have looked like when the provider signed it, if something on the way re-wrote
 * it: the same JSON written another way (compact, indented, ASCII-escaped, Python's separators), or
 * the same text with its final newline or line endings changed. Each with words for the verdict.
 */
export function bodyVariants(body: Buffer): { words: string; body: Buffer }[] {
  if (body.length > MAX_DIAGNOSED_BYTES) return [];
  const text = body.toString('utf8');
  const found = new Map<string, string>();
  const add = (candidate: string, words: string) => {
    if (candidate !== text && !found.has(candidate)) found.set(candidate, words);
  };
  const value = parseJson(text);
  if (value !== undefined) {
    add(write(value, { indent: '' }), 'compact JSON');
    add(write(value, { indent: '  ' }), 'JSON indented by 2 spaces');
    add(write(value, { indent: '  ' }) + '\n', 'JSON indented by 2 spaces with a final newline');
    add(write(value, { indent: '    ' }), 'JSON indented by 4 spaces');
    add(write(value, { indent: '', ascii: true }), 'compact JSON with non-ASCII characters escaped');
    add(write(value, { indent: '', item: ', ', key: ': ', ascii: true }), "JSON as Python's json.dumps writes it");
  }
  if (text.endsWith('\n')) add(text.replace(/\r?\n$/, ''), 'the same text without its final newline');
  else add(`${text}\n`, 'the same text with a final newline');
  if (text.includes('\r\n')) add(text.replaceAll('\r\n', '\n'), 'the same text with LF line endings');
  else if (text.includes('\n')) add(text.replaceAll('\n', '\r\n'), 'the same text with CRLF line endings');
  return [...found].map(([candidate, words]) => ({ words, body: Buffer.from(candidate, 'utf8') }));
}

function parseJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface Style {
  indent: string;
  item?: string;
  key?: string;
  ascii?: boolean;
}

/** JSON text in a given style (JSON.stringify covers indentation, not separators or ASCII escapes). */
function write(value: unknown, style: Style, depth = 0): string {
  const item = style.item ?? ',';
  const key = style.key ?? (style.indent ? ': ' : ':');
  const string = (s: string) => {
    const json = JSON.stringify(s);
    return style.ascii ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
  };
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? string(value) : JSON.stringify(value);
  const inner = style.indent ? `\n${style.indent.repeat(depth + 1)}` : '';
  const outer = style.indent ? `\n${style.indent.repeat(depth)}` : '';
  const separator = style.indent ? ',' : item;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${inner}${value.map((v) => write(v, style, depth + 1)).join(separator + inner)}${outer}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{${inner}${entries.map(([k, v]) => `${string(k)}${key}${write(v, style, depth + 1)}`).join(separator + inner)}${outer}}`;
}
