import type { PayloadTypeCount } from '../wire/payload-types.js';
import type { PayloadSet } from './collect.js';
import { jsonSchemaOf } from './json-schema.js';
import { counted, samplesText, type TypedGroup, typedGroups } from './typed.js';
import { typescriptOf } from './typescript.js';
import { zodOf } from './zod.js';
import type { TypeLang } from './langs.js';

export { TYPE_LANGS, type TypeLang } from './langs.js';

/** What `types` made: the text in the language asked for, and each type with its samples. */
export interface RenderedTypes {
  text: string;
  types: PayloadTypeCount[];
}

/** The payload types of `set` in `lang`. */
export function renderTypes(set: PayloadSet, lang: TypeLang): RenderedTypes {
  const groups = typedGroups(set);
  const title = titleOf(set, groups);
  const text =
    lang === 'json-schema'
      ? `${JSON.stringify(jsonSchemaOf(groups, title), null, 2)}\n`
      : (lang === 'zod' ? zodOf : typescriptOf)(groups, [title, 'Optional fields were missing from some samples; a union was seen as each of its types.']);
  const types = groups.map((g) => ({
    event: g.key,
    name: g.name,
    samples: g.samples,
    ...(g.provider && { provider: g.provider }),
    ...(g.untyped && { untyped: true as const }),
  }));
  return { text, types };
}

function titleOf(set: PayloadSet, groups: TypedGroup[]): string {
  const events = groups.filter((g) => !g.untyped).length;
  const paths = groups.length - events;
  const what = [counted(events, 'event type'), ...(paths > 0 ? [counted(paths, 'untyped path')] : [])].join(' and ');
  return `Webhook payloads inferred by hook-catch: ${what} from ${counted(set.captures - set.leftOut, 'capture')}`;
}

/** The one-line summary: `2 event types from 14 captures: issues.opened 12 samples, push 2 samples`. */
export function summaryLine(set: PayloadSet, types: RenderedTypes['types']): string {
  const typed = types.filter((t) => !t.untyped).length;
  const list = types.map((t) => `${t.untyped ? `(untyped) ${t.event}` : t.event} ${samplesText(t.samples)}`).join(', ');
  const left = set.leftOut > 0 ? ` (${set.leftOut} left out: not a webhook, or no JSON body)` : '';
  return `${counted(typed, 'event type')} from ${counted(set.captures, 'capture')}${left}: ${list || 'none'}`;
}
