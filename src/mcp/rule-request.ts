import { z } from 'zod';
import type { RuleRequest } from '../wire/rules.js';

// add_rule's arguments and the `POST /api/rules` body they make: one place, mirroring RuleRequest
// (src/wire/rules.ts). A new rule field is added here twice: to the schema and to the mapping.

export const ruleArguments = {
  path: z.string().optional().describe('only requests whose path starts with this: /webhook/stripe (default: every path)'),
  status: z.number().int().min(100).max(599).optional().describe('the status to answer: 500, 429, 410 (default 200)'),
  body: z.string().optional().describe('the body to answer'),
  headers: z.record(z.string(), z.string()).optional().describe('headers to add to the answer: {"Retry-After": "30"}'),
  delay: z.string().optional().describe('wait this long before answering: 2s, 500ms'),
  failFirst: z.number().int().min(1).optional().describe("answer the first N deliveries of each job 500, then the rule's status: a retry rehearsal"),
};

export interface RuleArguments {
  path?: string;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delay?: string;
  failFirst?: number;
}

export function ruleRequest(args: RuleArguments): RuleRequest {
  return {
    path: args.path,
    status: args.status,
    body: args.body,
    headers: args.headers && Object.entries(args.headers),
    delay: args.delay,
    failFirst: args.failFirst,
  };
}
