import type { CapturedRequest } from './capture/capture.js';

/** A stored request on its way, with how long its sender waited for the answer (0 when none did). */
export type Route = (request: CapturedRequest, latencyMs: number) => void;

/** The steps a stored request takes, each given by start(), which knows the parts. */
export interface RouteSteps {
  /** Matches the request to its job (and announces what changed for the job). */
  jobs: (request: CapturedRequest) => void;
  /** `--schema`: checks the capture's body, marks the verdict on it (for the stream and the terminal) and keeps it in the store. */
  check: ((request: CapturedRequest) => void) | null;
  /** Sends a capture answered before its forward was made to the user's app (`--forward`), in the background. */
  forward: ((request: CapturedRequest) => void) | null;
  /** The page's live stream: told first which request is on its way (its job's news travel in its message), then the request with its job. */
  stream: { routing: (id: string) => void; request: (request: CapturedRequest) => void };
  /** One line on the terminal, with the job. */
  terminal: ((request: CapturedRequest, latencyMs: number) => void) | null;
  /** Last: the library's `request` event, for what a user's code listens to. */
  announce: (request: CapturedRequest, latencyMs: number) => void;
  /** After all that, in the background: its body compared with the earlier ones of its event type (payload drift). */
  drift: ((request: CapturedRequest) => void) | null;
}

/**
 * The route of every stored request (received, polled or imported), in this order: the jobs first,
 * so that the stream and the terminal show each request with its job; then the schema check (its
 * sender was answered already: it waits for none of this), the forward, the stream, the terminal,
 * the library's event, and last its payload's drift (told later, in the background). Written here as code, not as the order in which listeners
 * happened to be added.
 */
export function createRoute(steps: RouteSteps): Route {
  return (request, latencyMs) => {
    steps.stream.routing(request.id);
    steps.jobs(request);
    steps.check?.(request);
    steps.forward?.(request);
    steps.stream.request(request);
    steps.terminal?.(request, latencyMs);
    steps.announce(request, latencyMs);
    steps.drift?.(request);
  };
}
