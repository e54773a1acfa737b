import { query } from './api.js';
import { byId } from './dom.js';
import type { Filters } from './requests.js';

/**
 * `redact=default`: the server blanks the headers that carry credentials or signatures (the CLI's
 * --redact-default list), so that a HAR or fixture file can be shared or committed without them.
 */
const REDACT_DEFAULT = 'default';

const REDACT_KEY = 'hook-catch:export-redact';

/** Whether exports blank the secret headers: the user's last choice, kept in localStorage. */
export class RedactChoice {
  private on = false;
  private readonly listeners: (() => void)[] = [];

  constructor() {
    try {
      this.on = localStorage.getItem(REDACT_KEY) === '1';
    } catch {
      // storage off (a private window's setting): nothing remembered
    }
  }

  get redacting(): boolean {
    return this.on;
  }

  set(on: boolean): void {
    this.on = on;
    try {
      localStorage.setItem(REDACT_KEY, on ? '1' : '0');
    } catch {
      // storage off: the choice holds for this page only
    }
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each change. */
  changed(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The `redact` query parameter's value ('' when not redacting). */
  get param(): string {
    return this.on ? REDACT_DEFAULT : '';
  }
}

/** The HAR of the requests the list's filters select (the server pages through all of them, oldest first). */
export function harHref(filters: Filters, redact: RedactChoice): string {
  return `/api/export.har${query({ q: filters.q, method: filters.method, path: filters.path, job: filters.job, redact: redact.param })}`;
}

/** One capture as a hook-catch/fixture@1 file. */
export function fixtureHref(id: string, redact: RedactChoice): string {
  return `/api/requests/${encodeURIComponent(id)}/fixture${query({ redact: redact.param })}`;
}

export interface ExportMenuDeps {
  filters: () => Filters;
  redact: RedactChoice;
}

/**
 * The toolbar's Export button and its small menu: a link to the list's HAR (kept up to date with the
 * filters, so a plain `<a download>` does it under the page's CSP) and the "redact secrets" choice.
 * The menu closes on Escape, on a click outside it, and once a download is chosen.
 */
export class ExportMenu {
  private readonly toggle = byId<HTMLButtonElement>('export-toggle');
  private readonly menu = byId('export-menu');
  private readonly har = byId<HTMLAnchorElement>('export-har');
  private readonly checkbox = byId<HTMLInputElement>('export-redact');

  constructor(private readonly deps: ExportMenuDeps) {
    this.checkbox.checked = deps.redact.redacting;
    this.checkbox.addEventListener('change', () => deps.redact.set(this.checkbox.checked));
    deps.redact.changed(() => this.draw());
    this.toggle.addEventListener('click', () => this.open(this.menu.hidden));
    this.har.addEventListener('click', () => this.open(false));
    document.addEventListener('click', (e) => {
      if (!this.menu.hidden && !this.menu.contains(e.target as Node) && !this.toggle.contains(e.target as Node)) this.open(false);
    });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || this.menu.hidden) return;
      this.open(false);
      this.toggle.focus();
    });
    this.draw();
  }

  /** Brings the HAR link up to date (each frame calls this; an unchanged href costs nothing). */
  draw(): void {
    const href = harHref(this.deps.filters(), this.deps.redact);
    if (this.har.getAttribute('href') !== href) this.har.setAttribute('href', href);
    const title = `HAR 1.2 of the requests the filters select, oldest first${this.deps.redact.redacting ? ', secret headers blanked' : ''}`;
    if (this.har.title !== title) this.har.title = title;
  }

  private open(open: boolean): void {
    this.menu.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (!open) return;
    this.draw();
    // Under the button, opening rightwards unless that would leave the toolbar (near the window's edge).
    const bar = this.toggle.closest('.toolbar')?.getBoundingClientRect();
    const button = this.toggle.getBoundingClientRect();
    this.menu.classList.toggle('end', bar !== undefined && button.left + this.menu.offsetWidth > bar.right - 4);
  }
}
