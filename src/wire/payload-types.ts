// Payload types inferred from the stored captures (`GET /api/types`, the page's Types view).

/** The languages the types are written in. */
export type TypesLang = 'ts' | 'zod' | 'json-schema';

/** One inferred type: its event type (or, for captures with none, their path) and its samples. */
export interface PayloadTypeCount {
  event: string;
  /** The type's name in the text (`IssuesOpened`). */
  name: string;
  samples: number;
  provider?: string;
  /** Captures with no event type, grouped by the path they came to (`event` is that path). */
  untyped?: true;
}

/** `GET /api/types?lang=&event=&job=`: the types as text, and how many samples each came from. */
export interface TypesAnswer {
  lang: TypesLang;
  /** The whole file; empty when no stored webhook has a payload to type. */
  text: string;
  types: PayloadTypeCount[];
  /** Captures read, and of them those left out (not a webhook, or no JSON body). */
  captures: number;
  leftOut: number;
  /** The one-line summary `hook-catch types` prints. */
  summary: string;
}
