import type { TypesLang } from '../wire/payload-types.js';

// Apart from the renderers, so that `types --help` and its flag check need none of them loaded.
export type TypeLang = TypesLang;
export const TYPE_LANGS: readonly TypeLang[] = ['ts', 'zod', 'json-schema'];
