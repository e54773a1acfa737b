import { HookCatchError } from '../errors.js';
import { readInstance } from '../store/instance-file.js';

export interface UrlOptions {
  dir: string;
  /** The local webhook URL even when there is a public one. */
  local?: boolean;
  json?: boolean;
}

/**
 * `hook-catch url`: the running instance's webhook URL, for `WEBHOOK=$(hook-catch url)`. The public
 * one when there is a tunnel; otherwise the local one, with a note on stderr.
 */
export async function printUrl(options: UrlOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const instance = await readInstance(options.dir);
  if (!instance) {
    throw new HookCatchError(`No hook-catch is running on ${options.dir}. Start one with \`hook-catch start\` (or point at it with --dir).`);
  }
  const publicWebhookUrl = instance.publicUrl ? `${instance.publicUrl}/webhook` : null;
  if (options.json) {
    stdout.write(
      JSON.stringify({
        webhookUrl: options.local ? instance.webhookUrl : (publicWebhookUrl ?? instance.webhookUrl),
        publicWebhookUrl,
        localWebhookUrl: instance.webhookUrl,
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
  stdout.write(`${options.local || !publicWebhookUrl ? instance.webhookUrl : publicWebhookUrl}\n`);
}
