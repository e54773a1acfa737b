import { z } from 'zod';
import type { RuleRequest } from '../wire/rules.js';

// add_rule's arguments and the `POST /api/rules` body they make: one place, mirroring RuleRequest
// (src/wire/rules.ts). A new rule field is added here twice: to the schema and to the mapping.

export const ruleArguments = {
  path: z.string().optional().describe('only requests whose path starts with this: /webhook/stripe (default: every path)'),
  status: z.number().int().min(200).max(599).optional().describe('the status to answer: 500, 503 (default 200)'),
  body: z.string().optional().describe('the body to answer'),
  headers: z.record(z.string(), z.string()).optional().describe('headers to add to the answer: {"X-Reason": "maintenance"}'),
  delay: z.string().optional().describe('wait this long before answering: 2s, 500ms'),
  failFirst: z.number().int().min(1).optional().describe("answer the first N deliveries of each job 500, then the rule's status: a retry rehearsal"),
  failRate: z
    .union([z.number().min(0).max(100), z.string()])
    .optional()
    .describe('answer this share of requests 500 (or hang/drop them, with hang or drop): 30 or "30%"; seeded, so a run repeats'),
  seed: z
    .number()
    .int()
    .optional()
    .describe("fail-rate's seed: the same seed and requests give the same failures (default: one is picked and kept on the rule)"),
  throttle: z
    .string()
    .optional()
    .describe('"429:30s" or "503:1m": answer that status with Retry-After (the seconds left) from the first request until the time is up, then recover'),
  goneAfter: z
    .union([z.number().int().min(0), z.string()])
    .optional()
    .describe('answer 410 Gone after this many requests (5) or this long after the first ("10m"): the provider\'s signal to stop delivering'),
  hang: z
    .union([z.boolean(), z.string()])
    .optional()
    .describe('store the request and answer nothing, closing the connection after this long (true: 60s, or "30s"): a receiver timeout'),
  drop: z.boolean().optional().describe('store the request, then close the connection without an answer'),
};

export interface RuleArguments {
  path?: string;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delay?: string;
  failFirst?: number;
  failRate?: number | string;
  seed?: number;
  throttle?: string;
  goneAfter?: number | string;
  hang?: boolean | string;
  drop?: boolean;
}

export function ruleRequest(args: RuleArguments): RuleRequest {
  return {
    path: args.path,
    status: args.status,
    body: args.body,
    headers: args.headers && Object.entries(args.headers),
    delay: args.delay,
    failFirst: args.failFirst,
    failRate: args.failRate,
    seed: args.seed,
    throttle: args.throttle,
    goneAfter: args.goneAfter,
    hang: args.hang,
    drop: args.drop,
  };
}
