import type { ChalkInstance } from 'chalk';
import type { PublicState } from '../tunnel/public-url.js';

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
}

/** What `start` shows once it is ready: where to send webhooks, where to look, where they are kept. */
export function banner(info: ReadyInfo, c: ChalkInstance): string {
  const row = (label: string, value: string, note = '') => `  ${c.bold(label.padEnd(10))}${value}${note ? c.dim(`  ${note}`) : ''}`;
  return [
    '',
    `  ${c.bold.cyan('hook-catch')} ${c.dim(info.version)}`,
    '',
    ...(info.publicWebhookUrl
      ? [
          row('Public', c.green.bold(info.publicWebhookUrl), publicNote(info.tunnel)),
          row('Local', c.green(info.webhookUrl), 'any method and path is captured'),
        ]
      : [row('Webhook', c.green(info.webhookUrl), 'any method and path is captured; local only')]),
    row('Inspector', c.cyan(info.inspectorUrl), 'open it in a browser: every webhook and job, live (API: /api)'),
    row('Store', info.dir, `${info.stored.toLocaleString('en-US')} kept, up to ${info.maxRequests.toLocaleString('en-US')}`),
    '',
    c.dim('  Waiting for webhooks. Ctrl-C to stop.'),
    '',
  ].join('\n');
}

function publicNote(tunnel: PublicState): string {
  if (tunnel.via === 'public-url') return 'your own (--public-url)';
  const source = tunnel.tokenSource?.includes('ngrok.yml') ? `the ngrok config ${tunnel.tokenSource}` : tunnel.tokenSource;
  return `ngrok, authtoken from ${source}`;
}
