// The wire contract of the inspector: every answer of its API, every body the page and the CLI send
// it, and every message of its live stream, as types only (no values: nothing here runs). The server's
// routes and stream are typed against these, and the page and the CLI read them, so a change to a
// shape is made here once and the compiler finds every side that no longer fits. The page compiles
// these files as they are (the build copies them into web/src/generated/): they import nothing but
// each other and src/capture/shapes.ts, and nothing of node.
export type * from '../capture/shapes.js';
export type * from './diff.js';
export type * from './jobs.js';
export type * from './mock.js';
export type * from './payload-types.js';
export type * from './replay.js';
export type * from './requests.js';
export type * from './rules.js';
export type * from './status.js';
export type * from './stream.js';
