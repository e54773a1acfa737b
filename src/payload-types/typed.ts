import type { PayloadSet } from './collect.js';
import { type TypeNode, typeOf } from './infer.js';
import { uniqueNames } from './names.js';

/** One group as the emitters write it: its key, its type's name, its samples and its type. */
export interface TypedGroup {
  key: string;
  name: string;
  untyped: boolean;
  provider?: string;
  samples: number;
  type: TypeNode;
}

export function typedGroups(set: PayloadSet): TypedGroup[] {
  const names = uniqueNames(set.groups.map((g) => (g.untyped ? { text: g.key, prefix: 'Untyped' } : { text: g.key })));
  return set.groups.map((group, i) => ({
    key: group.key,
    name: names[i]!,
    untyped: group.untyped,
    ...(group.provider && { provider: group.provider }),
    samples: group.samples,
    type: typeOf(group.shape),
  }));
}

/** `12 samples`, `1 sample`, `1,200 captures`. */
export const counted = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
export const samplesText = (n: number) => counted(n, 'sample');

/** Where a group's samples came from, for a comment. */
export const originText = (group: TypedGroup) =>
  `${group.untyped ? `captures with no event type on ${group.key}` : `\`${group.key}\`${group.provider ? ` (${group.provider})` : ''}`}: from ${samplesText(group.samples)}`;
