import type { ChalkInstance } from 'chalk';
import type { CapturedRequest } from '../../capture/capture.js';
import { shortId } from '../../capture/ids.js';
import { answerView } from '../../jobs/calls.js';
import { httpStatus } from '../../terminal/request-line.js';
import { formatBytes } from '../../units.js';
import { bodyLines } from './show-body.js';

// `show` for a call the app made through the provider port (`--provider`): the capture is the app's
// request; these are the rows that say what the call was, and the provider's answer below it.

/** `call  submit of job a919… (job id at body.jobId), answered in 41 ms by https://api.example.com`, then the webhook URL and any error. */
export function callRows(request: CapturedRequest, c: ChalkInstance): [string, string][] {
  const call = request.outbound!;
  const job = call.jobId ? ` of job ${call.jobId}${call.idAt ? ` (job id at ${call.idAt})` : ''}` : '';
  const took = call.error ? `failed after ${Math.round(call.latencyMs)} ms` : `answered in ${Math.round(call.latencyMs)} ms`;
  const rows: [string, string][] = [['call', `${c.cyan(ROLE_WORDS[call.role])}${job}, ${took} by ${call.provider}`]];
  if (call.webhookUrl) {
    const rewritten = call.rewrittenTo ? `, given to the provider as ${c.magenta(call.rewrittenTo)}` : '';
    rows.push(['webhook', `${call.webhookUrl}${c.dim(` (${call.webhookUrlAt ?? 'in the request'})`)}${rewritten}`]);
  }
  if (call.error) rows.push(['error', c.red(`the provider gave no answer: ${call.error} (the app got ${request.response.status} from hook-catch)`)]);
  return rows;
}

/** After the status the app got: whose it was. */
export function answeredNote(request: CapturedRequest): string {
  return request.answer ? "  (the provider's status, passed on to the app)" : '  (by hook-catch: the provider gave no answer)';
}

const ROLE_WORDS = { submit: 'submit', poll: 'status call', call: 'call' } as const;

/** The provider's answer: its status line, headers and body (as `show` shows a request's), after the app's request. */
export function answerLines(request: CapturedRequest, c: ChalkInstance): string[] {
  const answer = request.answer;
  if (!answer) return ['', c.bold("Provider's answer"), c.red(`none: ${request.outbound?.error ?? 'the provider did not answer'}`)];
  const view = answerView(request);
  const truncated = answer.truncated ? c.yellow(`, only the first ${formatBytes(view.bodySize)} kept`) : '';
  const lines = [
    '',
    `${c.bold("Provider's answer")}  ${httpStatus(answer.status, c)} ${answer.statusText}  ${c.dim(`${formatBytes(answer.bodySize)}`)}${truncated}`,
    ...answer.headers.map(([name, value]) => `  ${c.cyan(name)}: ${value}`),
  ];
  if (answer.bodySize === 0) return lines;
  const binary = c.dim(`(binary; \`hook-catch show ${shortId(request.id)} --json\` has it as base64 under answer.body)`);
  return [...lines, '', ...bodyLines(view, c, binary)];
}
