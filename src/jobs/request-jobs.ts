/** Maps the registry's index of requests is split into; a power of two. */
const SHARDS = 64;

/**
 * Which job each stored request went to: up to 50 requests for each of --max-jobs jobs (250,000 by
 * default). One Map that large is rehashed whole, within one turn, each time it fills up, and
 * requests come and go all the time: tens of milliseconds during which the receiver answers nothing.
 * Split by the end of the request id (its random part) into 64 Maps, each rehash is a 64th of that.
 */
export class RequestJobs {
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<string, string>());

  get(requestId: string): string | undefined {
    return this.shardOf(requestId).get(requestId);
  }

  set(requestId: string, jobId: string): void {
    this.shardOf(requestId).set(requestId, jobId);
  }

  delete(requestId: string): void {
    this.shardOf(requestId).delete(requestId);
  }

  private shardOf(requestId: string): Map<string, string> {
    const n = requestId.length;
    return this.shards[(requestId.charCodeAt(n - 1) * 31 + requestId.charCodeAt(n - 2)) & (SHARDS - 1)]!;
  }
}
