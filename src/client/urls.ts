import type { InstanceInfo } from '../store/instance-file.js';

/** A running instance's addresses, as `hook-catch url --json` prints them and the MCP server's webhook_url returns them. */
export interface WebhookUrls {
  /** The public one when there is a tunnel, else the local one. */
  webhookUrl: string;
  publicWebhookUrl: string | null;
  localWebhookUrl: string;
  publicUrl: string | null;
  receiverUrl: string;
  inspectorUrl: string;
  providerUrl: string | null;
}

/** The instance's webhook URLs; with `tag` (a job id), each ends in `/<tag>` so that the URL names the job. */
export function webhookUrls(instance: InstanceInfo, tag?: string): WebhookUrls {
  const suffix = tag ? `/${encodeURIComponent(tag)}` : '';
  const publicWebhookUrl = instance.publicUrl ? `${instance.publicUrl}/webhook${suffix}` : null;
  const localWebhookUrl = `${instance.webhookUrl}${suffix}`;
  return {
    webhookUrl: publicWebhookUrl ?? localWebhookUrl,
    publicWebhookUrl,
    localWebhookUrl,
    publicUrl: instance.publicUrl,
    receiverUrl: instance.receiverUrl,
    inspectorUrl: instance.inspectorUrl,
    providerUrl: instance.providerUrl ?? null,
  };
}
