// Headers and form fields are lists of name and value pairs, in which a name may repeat: compared as
// objects, a name that comes once is its value, and a name that comes more than once on either side
// is the list of its values on both, so that a second value reads as one more item
// (`headers["x-tag"][1]` added), not as a string that became a list.

/** The two lists of pairs as two objects to compare (see above); `nameOf` says which names are the same. */
export function pairObjects<V>(
  a: [string, V][],
  b: [string, V][],
  nameOf: (name: string) => string = (name) => name,
): [Record<string, V | V[]>, Record<string, V | V[]>] {
  const [x, y] = [grouped(a, nameOf), grouped(b, nameOf)];
  const repeated = new Set([...x, ...y].filter(([, values]) => values.length > 1).map(([name]) => name));
  const flat = (groups: Map<string, V[]>) => {
    // No prototype: a field named `__proto__` or `constructor` is a field like any other.
    const object: Record<string, V | V[]> = Object.create(null);
    for (const [name, values] of groups) object[name] = repeated.has(name) ? values : values[0]!;
    return object;
  };
  return [flat(x), flat(y)];
}

function grouped<V>(pairs: [string, V][], nameOf: (name: string) => string): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const [name, value] of pairs) {
    const key = nameOf(name);
    const values = groups.get(key);
    if (values) values.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}
