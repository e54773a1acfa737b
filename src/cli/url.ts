import { notRunning } from './client.js';
import { readInstance } from '../store/instance-file.js';

export interface UrlOptions {
  dir: string;
  /** The local webhook URL even when there is a public one. */
  local?: boolean;
  json?: boolean;
  /** A job id: the URL becomes `…/webhook/<id>`, which correlates by itself (for per-request webhook URLs). */
  tag?: string;
}

/**
 * `hook-catch url`: the running instance's webhook URL, for `WEBHOOK=$(hook-catch url)`. The public
 * one when there is a tunnel; otherwise the local one, with a note on stderr.
 */
export async function printUrl(options: UrlOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const instance = await readInstance(options.dir);
  if (!instance) throw notRunning(options.dir);
  const suffix = options.tag ? `/${encodeURIComponent(options.tag)}` : '';
  const publicWebhookUrl = instance.publicUrl ? `${instance.publicUrl}/webhook${suffix}` : null;
  const localWebhookUrl = `${instance.webhookUrl}${suffix}`;
  if (options.json) {
    stdout.write(
      JSON.stringify({
        webhookUrl: options.local ? localWebhookUrl : (publicWebhookUrl ?? localWebhookUrl),
        publicWebhookUrl,
        localWebhookUrl,
        publicUrl: instance.publicUrl,
        receiverUrl: instance.receiverUrl,
        inspectorUrl: instance.inspectorUrl,
      }) + '\n',
    );
    return;
  }
  if (!options.local && !publicWebhookUrl) {
    stderr.write('hook-catch: no public URL (no tunnel is open); this is the local webhook URL.\n');
  }
  stdout.write(`${options.local || !publicWebhookUrl ? localWebhookUrl : publicWebhookUrl}\n`);
}
