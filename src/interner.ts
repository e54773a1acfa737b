/**
 * One copy of strings that repeat from item to item (a URL, `body.jobId`, `Completed`): where many
 * items are kept, each holds a shared copy instead of its own. At most `limit` distinct strings are
 * remembered; past that, strings are returned as they are.
 */
export function createInterner(limit = 1000): (text: string) => string {
  const known = new Map<string, string>();
  return (text) => {
    const found = known.get(text);
    if (found !== undefined) return found;
    if (known.size < limit) known.set(text, text);
    return text;
  };
}
