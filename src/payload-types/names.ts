// Type names from event types: `issues.opened` → IssuesOpened, `payment_intent.succeeded` →
// PaymentIntentSucceeded, `orders/create` → OrdersCreate; an untyped capture's path, `/hooks/ai` →
// UntypedHooksAi. Two events that would share a name get a number (`IssuesOpened2`).

const RESERVED = new Set(['WebhookEvent', 'WebhookPayloads', 'UntypedPayloads', 'IsoDateTime', 'IsoDate', 'Url']);

export function pascalName(text: string, prefix = ''): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = prefix + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  if (name === '') return 'Event';
  return /^[0-9]/.test(name) ? `Event${name}` : name;
}

/** One name per text, unique among them and apart from the names the emitters write themselves. */
export function uniqueNames(texts: { text: string; prefix?: string }[]): string[] {
  const taken = new Set(RESERVED);
  return texts.map(({ text, prefix }) => {
    const base = pascalName(text, prefix);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    return name;
  });
}
