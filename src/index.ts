export { start, type HookCatch } from './start.js';
export { resolveOptions, DEFAULTS, type HookCatchOptions, type OutputMode } from './options.js';
export { HookCatchError } from './errors.js';
export type { CapturedRequest, RequestSummary } from './capture/capture.js';
export type { EncodedBody } from './capture/encoded-body.js';
export { toJsonRecord } from './capture/capture.js';
export type { HookCatchEvents, HookCatchEventMap } from './events.js';
export { RequestLog, type RequestQuery, type RequestPage } from './store/request-log.js';
export { readInstance, type InstanceInfo } from './store/instance-file.js';
export { VERSION } from './version.js';
export type { Job, Delivery, JobStatus, PayloadStatus, StatusChange, JobEvent, JobMatch } from './jobs/types.js';
export type { ExpectOptions, JobsView } from './jobs/service.js';
export type { WaitOptions, WaitResult, WaitOutcome } from './jobs/wait.js';
export type { OpenTunnel, Tunnel, TunnelOptions, TunnelStatus } from './tunnel/ngrok.js';
export type { PublicState } from './tunnel/public-url.js';
export type { TestKit, NextRequestOptions } from './test-kit.js';
export { loadFixture, FIXTURE_FORMAT, type Fixture, type LoadedFixture } from './fixtures/fixture.js';
export { replayFixture, type ReplayFixtureOptions } from './fixtures/replay-fixture.js';
export { exportRequests, type ExportOptions } from './fixtures/export.js';
export { DEFAULT_REDACT } from './fixtures/redact.js';
export type { ReplayRecord, Edits, ForwardInfo, SendResult } from './capture/records.js';
export type { ResponseRule, RuleInput } from './rules/types.js';
export type { RuleSet } from './rules/rule-set.js';
export { SCHEME_NAMES, type SchemeName, type SignatureVerdict, type VerifyInput } from './capture/signature.js';
export type { ResignRule } from './signatures/resign.js';
export type { PollInput } from './jobs/poll/spec.js';
export type { JobPoll, ProviderStatus } from './jobs/types.js';
export { deliver, type DeliverOptions } from './deliver/deliver.js';
export type { DeliverItem, DeliverReport, WebhookReport, SendReport, AttemptRecord, Check } from './deliver/deliver-types.js';
export { exportScenarios, type ScenarioExport, type ScenarioExportOptions } from './scenario/write.js';
export {
  SCENARIO_FORMAT,
  REDACTED,
  type Scenario,
  type ScenarioStep,
  type SubmitStep,
  type PollStep,
  type WebhookStep,
  type ScenarioRequest,
  type ScenarioAnswer,
} from './scenario/format.js';
export type { OutboundInfo, ProviderAnswer, BodyPart } from './capture/shapes.js';
export type { JobSubmit } from './jobs/types.js';
export { mockProvider, type MockProvider } from './mock/index.js';
export type { MockOptions, MockEvent, MockSummary, MockJobSummary, MockSendSummary, UnmatchedRequest, Closest } from './mock/types.js';
export type { SchemaVerdict } from './capture/shapes.js';
