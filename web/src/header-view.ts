import { copy } from './clipboard.js';
import { fill, h } from './dom.js';
import type { StreamState } from './stream.js';
import type { Status, TunnelState, TunnelStatus } from './types.js';

/**
 * The header: where to send webhooks (public and local, each with a copy button), the tunnel's
 * state and the stream's, live, and how many requests are stored against the limit.
 */
export class HeaderView {
  status: Status | null = null;
  private stream: { state: StreamState; detail: string } = { state: 'connecting', detail: '' };
  private stored = 0;

  constructor(private readonly container: HTMLElement) {}

  setStatus(status: Status): void {
    this.status = status;
    this.stored = status.requests.stored;
    this.render();
  }

  setTunnel(status: TunnelStatus, publicUrl: string | null): void {
    if (!this.status) return;
    const tunnel: TunnelState = { ...(this.status.tunnel ?? { via: 'ngrok', tokenSource: null, error: null, url: null }), status, url: publicUrl };
    const publicWebhookUrl = publicUrl && this.status.webhookUrl ? publicUrl + new URL(this.status.webhookUrl).pathname : this.status.publicWebhookUrl;
    this.status = { ...this.status, tunnel, publicUrl, publicWebhookUrl };
    this.render();
  }

  setStream(state: StreamState, detail: string): void {
    this.stream = { state, detail };
    this.render();
  }

  setForwardQueue(waiting: number, sending: number): void {
    if (!this.status?.forward) return;
    this.status = { ...this.status, forward: { ...this.status.forward, waiting, sending } };
    this.render();
  }

  setStored(count: number): void {
    if (count === this.stored) return;
    this.stored = count;
    this.render();
  }

  render(): void {
    const s = this.status;
    const tunnel = s?.tunnel;
    fill(
      this.container,
      h('span', { class: 'brand' }, 'hook-catch'),
      s ? url('Public', s.publicWebhookUrl ?? null, tunnelHint(tunnel)) : null,
      s ? url('Local', s.webhookUrl ?? null, '') : null,
      s?.forward ? forwarding(s.forward) : null,
      h(
        'span',
        { class: 'states' },
        pill('tunnel', tunnelWord(tunnel), tunnelClass(tunnel), tunnel?.error ?? ''),
        pill('stream', this.stream.state, this.stream.state === 'connected' ? 'ok' : 'warn', this.stream.detail),
        s
          ? h(
              'span',
              { class: 'stored', data: { stored: String(this.stored) } },
              `${this.stored.toLocaleString()} / ${s.requests.maxRequests.toLocaleString()} stored`,
            )
          : null,
      ),
    );
  }
}

function url(name: string, value: string | null, hint: string): HTMLElement {
  return h(
    'span',
    { class: 'url-box', data: { url: name.toLowerCase() } },
    h('span', { class: 'url-name' }, name),
    value ? h('code', { class: 'url-value' }, value) : h('span', { class: 'url-none', title: hint }, shortHint(hint)),
    value
      ? h(
          'button',
          {
            class: 'copy',
            attrs: { type: 'button', 'aria-label': `copy the ${name.toLowerCase()} webhook URL` },
            on: { click: () => copy(value, `${name.toLowerCase()} URL`) },
          },
          'Copy',
        )
      : null,
  );
}

function forwarding(forward: NonNullable<Status['forward']>): HTMLElement {
  const how = forward.mode === 'wait' ? 'senders get its answer' : 'senders get 200 at once';
  const queued = (forward.waiting ?? 0) + (forward.sending ?? 0);
  return h(
    'span',
    { class: 'url-box', data: { url: 'forward' }, title: `every webhook goes on to your app; ${how}` },
    h('span', { class: 'url-name' }, 'Forward'),
    h('code', { class: 'url-value' }, forward.url),
    h('span', { class: 'url-none' }, forward.mode),
    h(
      'span',
      {
        class: `forward-queue${queued ? ' busy' : ''}`,
        data: { queued: String(queued) },
        title: `${forward.waiting ?? 0} waiting, ${forward.sending ?? 0} being sent to your app`,
      },
      `queue ${queued.toLocaleString()}`,
    ),
  );
}

function pill(name: string, word: string, kind: string, title: string): HTMLElement {
  return h('span', { class: `pill ${kind}`, data: { state: name }, title }, h('span', { class: 'dot' }), `${name}: ${word}`);
}

function tunnelWord(t: TunnelState | undefined): string {
  if (t?.via === 'public-url') return 'your URL';
  if (!t || t.status === 'off') return 'off';
  return t.status === 'closed' ? 'reconnecting' : t.status;
}

function tunnelClass(t: TunnelState | undefined): string {
  if (t?.via === 'public-url') return 'ok';
  if (!t || t.status === 'off') return 'off';
  return t.status === 'connected' ? 'ok' : t.status === 'failed' ? 'bad' : 'warn';
}

/** The hint's first words, so that the header stays one line (the whole hint is its tooltip). */
function shortHint(hint: string): string {
  const paren = hint.indexOf(' (');
  const cut = Math.min(paren === -1 ? hint.length : paren, 60);
  return cut === hint.length ? hint : `${hint.slice(0, cut)} …`;
}

function tunnelHint(t: TunnelState | undefined): string {
  if (t?.status === 'failed') return `no public URL: ${t.error ?? 'the tunnel failed'}`;
  return 'none: set NGROK_AUTHTOKEN (or --public-url to bring your own tunnel) to receive from the internet';
}
