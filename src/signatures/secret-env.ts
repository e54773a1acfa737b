import type { SchemeName } from '../capture/signature.js';

// Apart from the checks (verify-rules.ts), which load every scheme: `verify --help` names these.

/** The environment variable each scheme's secret is read from when `--verify SCHEME` gives none. */
export const SECRET_ENV: Record<SchemeName, string> = {
  stripe: 'STRIPE_WEBHOOK_SECRET',
  github: 'GITHUB_WEBHOOK_SECRET',
  'standard-webhooks': 'WEBHOOK_SECRET',
  svix: 'SVIX_WEBHOOK_SECRET',
  slack: 'SLACK_SIGNING_SECRET',
  shopify: 'SHOPIFY_API_SECRET',
  twilio: 'TWILIO_AUTH_TOKEN',
  paddle: 'PADDLE_NOTIFICATION_WEBHOOK_SECRET',
  'hmac-sha256': 'HOOK_CATCH_HMAC_SECRET',
  'hmac-sha1': 'HOOK_CATCH_HMAC_SECRET',
};
