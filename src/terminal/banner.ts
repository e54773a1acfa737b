import type { ChalkInstance } from 'chalk';
import type { PublicState } from '../tunnel/public-url.js';
import type { ResponseRule } from '../rules/types.js';
import { statusText } from '../rules/check.js';
import { formatFlagDuration } from '../units.js';

export interface ReadyInfo {
  version: string;
  webhookUrl: string;
  receiverUrl: string;
  inspectorUrl: string;
  publicUrl: string | null;
  /** `<publicUrl>/webhook`: what to paste into a provider's `webhook=` parameter. */
  publicWebhookUrl: string | null;
  tunnel: PublicState;
  dir: string;
  stored: number;
  maxRequests: number;
  pid: number;
  /** `--forward`: where every capture goes, and whether its sender waits for the answer. */
  forward: { url: string; mode: 'wait' | 'ack' } | null;
  /** `--provider`: the provider port (the app's API base URL) and the provider it sends calls on to. */
  providerUrl?: string;
  provider?: string;
  rewriteWebhookUrl?: boolean;
  /** The response rules in force. */
  rules: ResponseRule[];
  /** `--verify`, in words (schemes and paths, never a secret). */
  verify: string[];
  /** `--schema`: the spec and what it holds (`openapi.yaml: OpenAPI 3.1.0, 3 webhooks`). */
  schema?: string;
}

/** What `start` shows once it is ready: where to send webhooks, where to look, where they are kept. */
export function banner(info: ReadyInfo, c: ChalkInstance): string {
  const row = (label: string, value: string, note = '') => `  ${c.bold(label.padEnd(10))}${value}${note ? c.dim(`  ${note}`) : ''}`;
  return [
    '',
    `  ${c.bold.cyan('hook-catch')} ${c.dim(info.version)}`,
    '',
    ...(info.publicWebhookUrl
      ? [row('Public', c.green.bold(info.publicWebhookUrl), publicNote(info.tunnel)), row('Local', c.green(info.webhookUrl), 'any method and path is captured')]
      : [row('Webhook', c.green(info.webhookUrl), 'any method and path is captured; local only')]),
    row('Inspector', c.cyan(info.inspectorUrl), 'open it in a browser: every webhook and job, live (API: /api)'),
    row('Store', info.dir, `${info.stored.toLocaleString('en-US')} kept, up to ${info.maxRequests.toLocaleString('en-US')}`),
    ...(info.forward
      ? [
          row(
            'Forward',
            c.green(info.forward.url),
            info.forward.mode === 'wait' ? "senders get your app's answer" : 'senders get 200 at once (--forward-mode ack)',
          ),
        ]
      : []),
    ...(info.providerUrl
      ? [
          row('Provider', `${c.green(info.providerUrl)} ${c.dim('→')} ${info.provider}`, "your app's API base URL: each call is kept with its answer"),
          ...(info.rewriteWebhookUrl ? [row('', c.magenta("local webhook URLs in submits are rewritten to hook-catch's; their webhooks forwarded back"))] : []),
        ]
      : []),
    ...info.rules.map((rule, i) => row(i === 0 ? 'Rules' : '', c.magenta(describeRule(rule)), i === 0 ? 'hook-catch rules lists and removes them' : '')),
    ...info.verify.map((text, i) => row(i === 0 ? 'Verify' : '', text, i === 0 ? 'each signature is checked and its verdict kept' : '')),
    ...(info.schema ? [row('Schema', info.schema, 'each body is checked against it and its verdict kept')] : []),
    '',
    c.dim('  Waiting for webhooks. Ctrl-C to stop.'),
    '',
  ].join('\n');
}

/** `r1  /billing  500 after 2s, first 2 of each job fail`, `r2  every path  throttle 429:30s, then 200 OK, 410 Gone after 100 requests` */
export function describeRule(rule: ResponseRule): string {
  const answer = rule.hangMs || rule.drop ? unansweredWords(rule) : statusText(rule.status);
  const failures = [
    rule.failFirst ? `first ${rule.failFirst} of each job` : '',
    rule.failRate ? `${rule.failRate}% of requests (seed ${rule.seed})` : '',
  ].filter(Boolean);
  const failed = failures.length
    ? `${failures.join(' and ')} ${rule.hangMs || rule.drop ? unansweredWords(rule) : 'answered 500'}, then ${statusText(rule.status)}`
    : answer;
  const parts = [rule.throttle ? `throttle ${rule.throttle.status}:${formatFlagDuration(rule.throttle.ms)} with Retry-After, then ${failed}` : failed];
  if (rule.body !== null) parts.push(`body ${JSON.stringify(rule.body.length > 30 ? `${rule.body.slice(0, 29)}…` : rule.body)}`);
  if (rule.headers.length) parts.push(rule.headers.map(([n, v]) => `${n}: ${v}`).join(', '));
  if (rule.delayMs) parts.push(`after ${rule.delayMs >= 1000 ? `${rule.delayMs / 1000}s` : `${rule.delayMs}ms`}`);
  if (rule.goneAfter) parts.push(`410 Gone after ${'count' in rule.goneAfter ? `${rule.goneAfter.count} requests` : formatFlagDuration(rule.goneAfter.ms)}`);
  return `${rule.id}  ${rule.path ?? 'every path'}  ${parts.join(', ')}`;
}

/** `hung (no answer, closed after 1m)`, `dropped (closed without an answer)`. */
function unansweredWords(rule: ResponseRule): string {
  return rule.hangMs ? `hung (no answer, closed after ${formatFlagDuration(rule.hangMs)})` : 'dropped (closed without an answer)';
}

function publicNote(tunnel: PublicState): string {
  if (tunnel.via === 'public-url') return 'your own (--public-url)';
  const source = tunnel.tokenSource?.includes('ngrok.yml') ? `the ngrok config ${tunnel.tokenSource}` : tunnel.tokenSource;
  return `ngrok, authtoken from ${source}`;
}
