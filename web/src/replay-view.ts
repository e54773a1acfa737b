import { fill, h } from './dom.js';
import { openReplayDialog } from './replay-dialog.js';
import { replayLine, resultView } from './replay-result.js';
import { savedTarget, saveTarget, sendReplay, summaryOf, targetInput } from './replays.js';
import type { ReplayRecord, ReplaySummary, RequestRecord } from './types.js';

/**
 * The Replay part of the detail: where to send the capture again (remembered), Replay (unchanged)
 * and Edit and replay (the dialog), the last answer, and every replay of this capture, newest
 * first, kept live from the stream.
 */
export class ReplayPanel {
  readonly el: HTMLElement;
  private readonly target: HTMLInputElement;
  private readonly result = h('div', { class: 'replay-out', attrs: { 'aria-live': 'polite' } });
  private readonly list = h('ul', { class: 'replays' });
  private readonly heading = h('h4', null);
  private readonly replays = new Map<string, ReplaySummary>();

  constructor(
    private readonly record: RequestRecord,
    defaultTarget: string,
  ) {
    this.target = h('input', {
      class: 'replay-target',
      attrs: { type: 'url', 'aria-label': 'replay target', placeholder: defaultTarget || 'http://localhost:3000', autocomplete: 'off', spellcheck: 'false' },
      on: { change: () => saveTarget(this.target.value) },
    });
    this.target.value = savedTarget(defaultTarget);
    for (const r of record.replays ?? []) this.replays.set(r.id, summaryOf(r));
    this.el = h(
      'div',
      { class: 'replay' },
      h(
        'div',
        { class: 'replay-bar' },
        this.target,
        h(
          'button',
          {
            attrs: { type: 'button', title: 'Send this request again, unchanged, to the target' },
            data: { action: 'replay' },
            on: { click: () => void this.replay() },
          },
          'Replay',
        ),
        h('button', { attrs: { type: 'button' }, data: { action: 'edit-replay' }, on: { click: () => this.edit() } }, 'Edit and replay'),
      ),
      this.result,
      h('div', { class: 'replay-list' }, this.heading, this.list),
    );
    this.drawList();
  }

  /** A replay of this capture (from this page, another tab, or the CLI). */
  add(replay: ReplaySummary): void {
    if (replay.of !== this.record.id) return;
    // The stream's summary does not say a replay was re-signed: keep what the API's answer said.
    const resigned = replay.resigned ?? this.replays.get(replay.id)?.resigned;
    this.replays.set(replay.id, resigned ? { ...replay, resigned } : replay);
    this.drawList();
  }

  private async replay(): Promise<void> {
    const target = this.target.value;
    saveTarget(target);
    fill(this.result, h('p', { class: 'note' }, `Sending to ${target.trim() || 'the --forward URL'}…`));
    try {
      this.sent(await sendReplay(this.record.id, targetInput(target)));
    } catch (error) {
      fill(this.result, h('p', { class: 'note error', data: { status: 'error' } }, (error as Error).message));
    }
  }

  private edit(): void {
    openReplayDialog(this.record, this.target.value, (record, target) => {
      this.target.value = target;
      this.sent(record);
    });
  }

  private sent(record: ReplayRecord): void {
    fill(this.result, resultView(record));
    if (record.notKept === undefined) this.add(summaryOf(record));
  }

  private drawList(): void {
    const newestFirst = [...this.replays.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));
    fill(this.heading, newestFirst.length ? `Replays (${newestFirst.length})` : 'No replays yet');
    fill(this.list, ...newestFirst.map(replayLine));
  }
}
