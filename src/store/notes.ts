import type { RequestSummary } from '../capture/capture.js';
import type { AnalysisNote, ForwardNote } from './record-line.js';

/** Where a line is in the segment files. */
export interface LineAt {
  segment: number;
  offset: number;
  length: number;
}

/**
 * What was learned about stored captures after they were written: what their forward answered
 * (which is also what their sender was answered) and where their replays are. Few captures have
 * replays; with `--forward` every capture has a forward note, a few dozen bytes each.
 */
export class Notes {
  private readonly forwards = new Map<string, ForwardNote>();
  private readonly replays = new Map<string, LineAt[]>();
  private readonly analyses = new Map<string, AnalysisNote>();

  setForward(id: string, note: ForwardNote): void {
    this.forwards.set(id, note);
  }

  /** A later note adds to an earlier one of the same capture (a drift after a schema verdict). */
  addAnalysis(id: string, note: AnalysisNote): void {
    const known = this.analyses.get(id);
    this.analyses.set(id, known ? { ...known, ...note } : note);
  }

  addReplay(of: string, at: LineAt): void {
    const list = this.replays.get(of);
    if (list) list.push(at);
    else this.replays.set(of, [at]);
  }

  /** What a capture's summary shows of its notes: its forward, and the status its sender got (unchanged by a forward never sent). */
  summaryOf(id: string): Partial<RequestSummary> | undefined {
    const note = this.forwards.get(id);
    const analysis = this.analyses.get(id);
    if (!note) return analysis;
    const forwarded = note.forward.notSent ? { forward: note.forward } : { status: note.answered, forward: note.forward };
    return analysis ? { ...analysis, ...forwarded } : forwarded;
  }

  hasForward(id: string): boolean {
    return this.forwards.has(id);
  }

  replaysOf(id: string): LineAt[] {
    return this.replays.get(id) ?? [];
  }

  /** Forgets the notes of captures that are gone and of lines in files that are gone. */
  prune(alive: (id: string) => boolean, segmentGone: (segment: number) => boolean): void {
    for (const id of this.forwards.keys()) if (!alive(id)) this.forwards.delete(id);
    for (const id of this.analyses.keys()) if (!alive(id)) this.analyses.delete(id);
    for (const [id, list] of this.replays) {
      const kept = list.filter((at) => !segmentGone(at.segment));
      if (!alive(id) || kept.length === 0) this.replays.delete(id);
      else if (kept.length !== list.length) this.replays.set(id, kept);
    }
  }

  clear(): void {
    this.forwards.clear();
    this.analyses.clear();
    this.replays.clear();
  }
}
