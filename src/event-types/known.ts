// The providers whose event type a header tells (or a header names the provider and the body the
// type). One row per provider: the header to look for, and how the type is read once it is there.
// Each reader gets the header's value and the parsed body (undefined when it is not JSON or a form).

type Body = unknown;
/** The type a provider's delivery names, from its header's value and its body; null when it names none. */
export type ReadType = (header: string, body: Body) => string | null;

export interface KnownProvider {
  /** The header, lower case. */
  header: string;
  provider: string;
  /** Where the type is read, as the capture's `event.from` says it. */
  from: string;
  read: ReadType;
}

/** A string field's value, when it is one short enough to be a name. */
export function word(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= 120 && !value.includes('\n') ? value : null;
}

function field(body: Body, ...steps: string[]): unknown {
  let value = body;
  for (const step of steps) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** `issues` + body `action` `opened` -> `issues.opened`: GitHub's payload differs per action. */
const withAction: ReadType = (header, body) => {
  const action = word(field(body, 'action'));
  return action ? `${header}.${action}` : header;
};
const headerValue: ReadType = (header) => word(header);
const bodyType: ReadType = (_, body) => word(field(body, 'type'));

const rows: [string, string, string, ReadType][] = [
  ['x-github-event', 'github', 'header X-GitHub-Event + body.action', withAction],
  ['x-gitea-event', 'gitea', 'header X-Gitea-Event + body.action', withAction],
  ['x-gogs-event', 'gogs', 'header X-Gogs-Event + body.action', withAction],
  ['x-gitlab-event', 'gitlab', 'body.object_kind (X-Gitlab-Event)', (header, body) => word(field(body, 'object_kind')) ?? word(header)],
  ['x-event-key', 'bitbucket', 'header X-Event-Key', headerValue],
  ['x-shopify-topic', 'shopify', 'header X-Shopify-Topic', headerValue],
  ['linear-event', 'linear', 'header Linear-Event + body.action', withAction],
  ['ce-type', 'cloudevents', 'header ce-type', headerValue],
  ['stripe-signature', 'stripe', 'body.type (Stripe-Signature)', bodyType],
  ['svix-id', 'svix', 'body.type (svix-id)', bodyType],
  ['webhook-id', 'standard-webhooks', 'body.type (webhook-id)', bodyType],
  ['paddle-signature', 'paddle', 'body.event_type (Paddle-Signature)', (_, body) => word(field(body, 'event_type'))],
  ['x-square-hmacsha256-signature', 'square', 'body.type (X-Square-Hmacsha256-Signature)', bodyType],
  ['paypal-transmission-id', 'paypal', 'body.event_type (PayPal-Transmission-Id)', (_, body) => word(field(body, 'event_type'))],
  ['x-razorpay-signature', 'razorpay', 'body.event (X-Razorpay-Signature)', (_, body) => word(field(body, 'event'))],
  ['x-zm-signature', 'zoom', 'body.event (X-Zm-Signature)', (_, body) => word(field(body, 'event'))],
  ['typeform-signature', 'typeform', 'body.event_type (Typeform-Signature)', (_, body) => word(field(body, 'event_type'))],
  ['x-cc-webhook-signature', 'coinbase', 'body.event.type (X-CC-Webhook-Signature)', (_, body) => word(field(body, 'event', 'type'))],
  // Slack wraps app events: the outer type is `event_callback`, the event's own type is inside.
  [
    'x-slack-signature',
    'slack',
    'body.event.type or body.type (X-Slack-Signature)',
    (_, body) => (field(body, 'type') === 'event_callback' ? word(field(body, 'event', 'type')) : null) ?? word(field(body, 'type')),
  ],
  // Twilio's status callbacks are forms: `MessageStatus=delivered` -> `message.delivered`.
  [
    'x-twilio-signature',
    'twilio',
    'body.MessageStatus or body.CallStatus (X-Twilio-Signature)',
    (_, body) => {
      const message = word(field(body, 'MessageStatus')) ?? word(field(body, 'SmsStatus'));
      if (message) return `message.${message}`;
      const call = word(field(body, 'CallStatus'));
      return call ? `call.${call}` : null;
    },
  ],
];

/** The known providers by their header (lower case). */
export const KNOWN_PROVIDERS: ReadonlyMap<string, KnownProvider> = new Map(
  rows.map(([header, provider, from, read]) => [header, { header, provider, from, read }]),
);

/** Header names of no one provider that still name the event. */
export const GENERIC_HEADERS = ['x-event-type', 'x-webhook-event', 'x-event-name', 'x-hook-event'];
