import { HookCatchError } from '../../errors.js';
import { ensureRegistered } from '../../client/client.js';
import { connect } from '../../client/instance.js';
import { webhookUrls } from '../../client/urls.js';

export interface UrlOptions {
  dir: string;
  /** The local webhook URL even when there is a public one. */
  local?: boolean;
  json?: boolean;
  /** A job id: the URL becomes `…/webhook/<id>`, and the job is registered so that the URL names it. */
  tag?: string;
  /** The provider port's URL (`start --provider`): the app's API base URL while recording. */
  provider?: boolean;
}

/**
 * `hook-catch url`: the running instance's webhook URL, for `WEBHOOK=$(hook-catch url)`. The public
 * one when there is a tunnel; otherwise the local one, with a note on stderr.
 */
export async function printUrl(options: UrlOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const client = await connect(options.dir);
  const { instance } = client;
  if (options.provider) {
    if (!instance.providerUrl) throw new HookCatchError('The running hook-catch has no provider port: start it with --provider <your API base URL>.');
    stdout.write(options.json ? `${JSON.stringify({ providerUrl: instance.providerUrl, provider: instance.provider })}\n` : `${instance.providerUrl}\n`);
    return;
  }
  if (options.tag) await ensureRegistered(client, options.tag);
  const urls = webhookUrls(instance, options.tag);
  if (options.json) {
    stdout.write(JSON.stringify({ ...urls, webhookUrl: options.local ? urls.localWebhookUrl : urls.webhookUrl }) + '\n');
    return;
  }
  if (!options.local && !urls.publicWebhookUrl) {
    stderr.write('hook-catch: no public URL (no tunnel is open); this is the local webhook URL.\n');
  }
  stdout.write(`${options.local ? urls.localWebhookUrl : urls.webhookUrl}\n`);
}
