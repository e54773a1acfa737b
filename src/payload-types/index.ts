// Payload types inferred from real captures (`hook-catch types`, GET /api/types): captures grouped
// by event type (collect.ts), each group's bodies folded into one shape (shape.ts), read as a type
// (infer.ts) and written as TypeScript, zod or JSON Schema (render.ts).
export { PayloadCollector, type PayloadGroup, type PayloadSet } from './collect.js';
export { type PayloadQuery, storedPayloads } from './read.js';
export { type RenderedTypes, renderTypes, summaryLine, TYPE_LANGS, type TypeLang } from './render.js';
