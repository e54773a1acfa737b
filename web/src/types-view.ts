import { getJson, query } from './api.js';
import { copy } from './clipboard.js';
import { fill, h } from './dom.js';
import type { TypesAnswer, TypesLang } from './types.js';

export interface TypesViewDeps {
  /** The panel (hidden until the toggle opens it). */
  container: HTMLElement;
  /** The toolbar button that opens it. */
  toggle: HTMLElement;
}

const LANGS: [TypesLang, string][] = [
  ['ts', 'TypeScript'],
  ['zod', 'zod'],
  ['json-schema', 'JSON Schema'],
];

/**
 * Payload types: one type per event type, inferred from every stored webhook (`hook-catch types`,
 * GET /api/types). The panel picks the language, lists the event types with their sample counts,
 * shows the code and copies it. It asks again each time it is opened or the language changes: new
 * captures change the types, and inferring them on every arrival would cost the page for nothing.
 */
export class TypesView {
  private lang: TypesLang = 'ts';
  private answer: TypesAnswer | null = null;
  private loading = 0;
  private readonly langs = h('span', { class: 'langs', attrs: { role: 'radiogroup', 'aria-label': 'language' } });
  private readonly copyButton = h(
    'button',
    { attrs: { type: 'button', disabled: '' }, data: { action: 'copy-types' }, on: { click: () => void this.copy() } },
    'Copy',
  );
  private readonly summary = h('p', { class: 'note', attrs: { 'aria-live': 'polite' } });
  private readonly counts = h('ul', { class: 'type-counts', attrs: { 'aria-label': 'event types and their samples' } });
  private readonly code = h('pre', { class: 'types-code', attrs: { tabindex: '0', 'aria-label': 'the types' } });

  constructor(private readonly deps: TypesViewDeps) {
    deps.toggle.addEventListener('click', () => this.open(deps.container.hidden));
    const reload = h(
      'button',
      { attrs: { type: 'button', title: 'Infer them again from the webhooks stored now' }, on: { click: () => void this.load() } },
      'Refresh',
    );
    fill(
      deps.container,
      h('div', { class: 'types-head' }, h('h3', null, 'Payload types'), this.langs, this.copyButton, reload),
      this.summary,
      this.counts,
      this.code,
    );
    this.drawLangs();
  }

  private open(open: boolean): void {
    this.deps.container.hidden = !open;
    this.deps.toggle.setAttribute('aria-expanded', String(open));
    if (open) void this.load();
  }

  /** Asks for the types in the language chosen; an older answer that comes late is dropped. */
  async load(): Promise<void> {
    const mine = ++this.loading;
    this.summary.textContent = 'Inferring the types from the stored webhooks…';
    try {
      const answer = await getJson<TypesAnswer>(`/api/types${query({ lang: this.lang })}`);
      if (mine === this.loading) this.show(answer);
    } catch (error) {
      if (mine === this.loading) this.summary.textContent = `Cannot infer the types: ${(error as Error).message}`;
    }
  }

  private show(answer: TypesAnswer): void {
    this.answer = answer;
    const none = answer.types.length === 0;
    this.summary.textContent = none
      ? 'No stored webhook has a JSON body yet: the types appear once some have come.'
      : `One type per event type, inferred from ${plural(answer.captures - answer.leftOut, 'stored webhook')}${answer.leftOut ? ` (${answer.leftOut} without a JSON body left out)` : ''}.`;
    fill(
      this.counts,
      ...answer.types.map((t) =>
        h(
          'li',
          { data: { event: t.event }, title: t.untyped ? `captures with no event type, on ${t.event}` : `${t.event}${t.provider ? ` (${t.provider})` : ''}` },
          h('code', null, t.untyped ? `${t.event} (untyped)` : t.event),
          h('span', { class: 'samples' }, plural(t.samples, 'sample')),
        ),
      ),
    );
    this.code.textContent = answer.text;
    this.code.hidden = none;
    this.copyButton.toggleAttribute('disabled', none);
  }

  private drawLangs(): void {
    fill(
      this.langs,
      ...LANGS.map(([lang, label]) =>
        h(
          'button',
          {
            class: lang === this.lang ? 'on' : '',
            attrs: { type: 'button', role: 'radio', 'aria-checked': String(lang === this.lang) },
            data: { lang },
            on: { click: () => this.choose(lang) },
          },
          label,
        ),
      ),
    );
  }

  private choose(lang: TypesLang): void {
    if (lang === this.lang) return;
    this.lang = lang;
    this.drawLangs();
    void this.load();
  }

  private async copy(): Promise<void> {
    if (!this.answer?.text) return;
    const label = LANGS.find(([lang]) => lang === this.answer!.lang)![1];
    await copy(this.answer.text, `the ${label} types`);
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
