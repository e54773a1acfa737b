import { getJson, sendJson } from './api.js';
import { toast } from './clipboard.js';
import { fill, h } from './dom.js';
import { duration } from './format.js';
import type { ResponseRule, RuleList, RuleRequest } from './types.js';

export interface RulesViewDeps {
  /** The panel (hidden until the toggle opens it). */
  container: HTMLElement;
  /** The toolbar button that opens it, and shows how many rules are in force. */
  toggle: HTMLElement;
}

/**
 * Response rules: what the receiver answers instead of 200 (a status, a body, headers, a delay,
 * failures first). The panel lists them, adds one from a small form and removes them; the toolbar
 * button counts them, so that a user sees when rules shape the answers their provider gets.
 */
export class RulesView {
  private rules: ResponseRule[] = [];
  private readonly list = h('ul', { class: 'rules' });
  private readonly error = h('p', { class: 'note error', attrs: { role: 'alert' } });

  constructor(private readonly deps: RulesViewDeps) {
    deps.toggle.addEventListener('click', () => this.open(deps.container.hidden));
    fill(
      deps.container,
      h('h3', null, 'Response rules'),
      h('p', { class: 'note' }, 'Every webhook is still captured; a rule changes what its sender is answered. The longest matching path prefix wins.'),
      this.list,
      this.form(),
    );
    this.draw();
  }

  async load(): Promise<void> {
    const page = await getJson<RuleList>('/api/rules');
    this.set(page.items);
  }

  /** The rules in force now (from the API or a `rules` stream message). */
  set(rules: ResponseRule[]): void {
    this.rules = rules;
    this.draw();
  }

  private open(open: boolean): void {
    this.deps.container.hidden = !open;
    this.deps.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.deps.container.querySelector<HTMLInputElement>('input')?.focus();
  }

  private draw(): void {
    const n = this.rules.length;
    fill(this.deps.toggle, n ? `Rules (${n})` : 'Rules');
    this.deps.toggle.classList.toggle('has-rules', n > 0);
    this.deps.toggle.title = n
      ? `${n} response rule${n === 1 ? '' : 's'} in force: some webhooks are not answered 200`
      : 'Response rules: none, every webhook is answered 200';
    if (!n) return fill(this.list, h('li', { class: 'placeholder' }, 'No rules: every webhook is answered 200 {"ok":true}.'));
    fill(
      this.list,
      ...this.rules.map((rule) =>
        h(
          'li',
          { data: { rule: rule.id } },
          h('code', null, rule.id),
          h('span', { class: 'rule-words' }, describeRule(rule)),
          h(
            'button',
            {
              class: 'danger',
              attrs: { type: 'button', 'aria-label': `remove rule ${rule.id}` },
              data: { action: 'remove-rule' },
              on: { click: () => void this.remove(rule.id) },
            },
            'Remove',
          ),
        ),
      ),
    );
  }

  private async remove(id: string): Promise<void> {
    try {
      await sendJson('DELETE', `/api/rules/${encodeURIComponent(id)}`);
      await this.load();
    } catch (error) {
      toast((error as Error).message, 'error');
    }
  }

  private form(): HTMLFormElement {
    const field = (name: string, label: string, placeholder: string) =>
      h('input', { class: `rule-${name}`, attrs: { name, placeholder, 'aria-label': label, autocomplete: 'off' } });
    const inputs = {
      status: field('status', 'rule status', 'status, e.g. 503'),
      path: field('path', 'rule path prefix', 'path prefix (all)'),
      delay: field('delay', 'rule delay', 'delay, e.g. 2s'),
      failFirst: field('failFirst', 'rule fail first', 'fail first N'),
      header: field('header', 'rule header', 'Header: value'),
      body: field('body', 'rule body', 'body (default {"ok":…})'),
    };
    // A provider's worst days: a share failing, a throttle, 410 Gone, no answer at all.
    const chaos = {
      failRate: field('failRate', 'rule fail rate', 'fail rate, e.g. 30%'),
      seed: field('seed', 'rule seed', 'seed (picked)'),
      throttle: field('throttle', 'rule throttle', 'throttle, e.g. 429:30s'),
      goneAfter: field('goneAfter', 'rule gone after', '410 after, e.g. 100 or 5m'),
      hang: field('hang', 'rule hang', 'hang, e.g. 30s'),
    };
    const drop = h('input', { class: 'rule-drop', attrs: { type: 'checkbox', name: 'drop', 'aria-label': 'rule drop' } }) as HTMLInputElement;
    const form = h(
      'form',
      { class: 'rule-form', attrs: { 'aria-label': 'add a response rule' } },
      ...Object.values(inputs),
      h('button', { attrs: { type: 'submit' } }, 'Add rule'),
      h(
        'div',
        { class: 'rule-chaos' },
        ...Object.values(chaos),
        h('label', { attrs: { title: 'store the request, then close the connection without an answer' } }, drop, ' drop the connection'),
      ),
      this.error,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      fill(this.error);
      try {
        await sendJson('POST', '/api/rules', { ...ruleBody(inputs), ...chaosBody(chaos, drop) });
        form.reset();
        await this.load();
      } catch (error) {
        fill(this.error, (error as Error).message);
      }
    });
    return form;
  }
}

/** What POST /api/rules takes, from the form's fields (empty ones left out: the API's defaults apply). */
function ruleBody(inputs: Record<'status' | 'path' | 'delay' | 'failFirst' | 'header' | 'body', HTMLInputElement>): RuleRequest {
  const v = (name: keyof typeof inputs) => inputs[name].value.trim();
  const body: RuleRequest = {};
  if (v('status')) body.status = v('status');
  if (v('path')) body.path = v('path');
  if (v('delay')) body.delay = v('delay');
  if (v('failFirst')) body.failFirst = v('failFirst');
  if (inputs.body.value) body.body = inputs.body.value;
  if (v('header')) {
    const colon = v('header').indexOf(':');
    if (colon <= 0) throw new Error(`Write the header as Name: value, such as "Retry-After: 30"; got "${v('header')}".`);
    body.headers = [
      [
        v('header').slice(0, colon).trim(),
        v('header')
          .slice(colon + 1)
          .trim(),
      ],
    ];
  }
  return body;
}

/** The worst-day fields of POST /api/rules, as typed (the API reads them as the flags do, and says what is wrong). */
function chaosBody(inputs: Record<'failRate' | 'seed' | 'throttle' | 'goneAfter' | 'hang', HTMLInputElement>, drop: HTMLInputElement): RuleRequest {
  const body: RuleRequest = {};
  for (const name of ['failRate', 'seed', 'throttle', 'goneAfter', 'hang'] as const) {
    const value = inputs[name].value.trim();
    if (value) body[name] = value;
  }
  if (drop.checked) body.drop = true;
  return body;
}

/** A rule in words: `/webhook/stripe → 503 · body "busy" · Retry-After: 30 · after 2 s · first 2 deliveries of each job answered 500`. */
export function describeRule(rule: ResponseRule): string {
  const unanswered = rule.hangMs ? `no answer, closed after ${duration(rule.hangMs)}` : rule.drop ? 'connection dropped, no answer' : null;
  const alone = unanswered && !rule.failFirst && !rule.failRate;
  const parts = [`${rule.path ?? 'every path'} → ${alone ? unanswered : rule.status}`];
  if (!alone) parts.push(rule.body === null ? 'usual JSON body' : `body ${JSON.stringify(rule.body.length > 60 ? `${rule.body.slice(0, 60)}…` : rule.body)}`);
  for (const [name, value] of rule.headers) parts.push(`${name}: ${value}`);
  if (rule.delayMs) parts.push(`after ${duration(rule.delayMs)}`);
  const failure = unanswered ?? 'answered 500';
  if (rule.failFirst) parts.push(`first ${rule.failFirst === 1 ? 'delivery' : `${rule.failFirst} deliveries`} of each job ${failure}`);
  if (rule.failRate) parts.push(`${rule.failRate}% of requests ${failure} (seed ${rule.seed})`);
  if (rule.throttle) parts.push(`${rule.throttle.status} with Retry-After for the first ${duration(rule.throttle.ms)}`);
  if (rule.goneAfter) parts.push(`410 Gone after ${'count' in rule.goneAfter ? `${rule.goneAfter.count} requests` : duration(rule.goneAfter.ms)}`);
  if (rule.source === 'start') parts.push('from start flags');
  return parts.join(' · ');
}
