/**
 * The inspector API and stream as the page sees them: the wire contract itself (src/wire/), which the
 * build copies into ./generated/ before compiling the page. Nothing here re-declares a server shape:
 * a change to one is made in src/wire/ (or src/capture/shapes.ts) and the page is compiled against it.
 */
export type * from './generated/wire/index.js';
/** The signing schemes hook-catch checks, in its order (a value: the page loads it as a module). */
export { SCHEME_NAMES } from './generated/capture/shapes.js';
