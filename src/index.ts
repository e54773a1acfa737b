export { start, type HookCatch } from './start.js';
export { resolveOptions, DEFAULTS, type HookCatchOptions, type OutputMode } from './options.js';
export { HookCatchError } from './errors.js';
export type { CapturedRequest, RequestSummary, EncodedBody } from './capture.js';
export { toJsonRecord } from './capture.js';
export type { HookCatchEvents, HookCatchEventMap } from './events.js';
export { RequestLog, type RequestQuery, type RequestPage } from './store/request-log.js';
export { readInstance, type InstanceInfo } from './store/instance-file.js';
export { VERSION } from './version.js';
