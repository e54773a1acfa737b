import type { SchemeName } from './shapes.js';

// The scheme names and the verdict are in shapes.ts (the page compiles them); here how schemes check.
export { SCHEME_NAMES } from './shapes.js';
export type { SchemeName, SignatureVerdict } from './shapes.js';

/** One `--verify`: a scheme (or `auto`), its secret, and the paths it covers. */
export interface VerifyInput {
  /** The scheme; `auto` (the default) finds it from the headers of each request. */
  scheme?: SchemeName | 'auto';
  /** The signing secret (Stripe's `whsec_…`, GitHub's webhook secret, Twilio's auth token …). Never stored or printed. */
  secret: string;
  /** Only requests whose path starts with this are checked with it. Default: every path. */
  path?: string | null;
  /** For `hmac-sha256` / `hmac-sha1`: the header holding the signature (hex or base64, `sha256=` prefix allowed). Default: found by name. */
  header?: string | null;
  /** How old a signed timestamp may be (Stripe, Standard Webhooks, Svix, Slack, Paddle). Default: the scheme's own, 300 seconds (Paddle's 5). */
  toleranceSeconds?: number;
}

/** A checked `VerifyInput` with its defaults filled in. */
export interface VerifyRule {
  scheme: SchemeName | 'auto';
  secret: string;
  path: string | null;
  header: string | null;
  /** Seconds; null when none was given and the scheme is found from the headers: each scheme's own then. */
  toleranceSeconds: number | null;
}

/** What a scheme is given to check: the request as received. */
export interface SignedRequest {
  method: string;
  /** The request target: path and query. */
  url: string;
  headers: [string, string][];
  body: Buffer;
  /** When hook-catch received it (epoch ms): timestamps are judged against this, not the clock now. */
  receivedAt: number;
  contentType: string | null;
}

/** Where the request was sent, as the provider saw it: candidate full URLs (Twilio signs the URL). */
export interface CheckContext {
  urls: string[];
  /** The header named by the rule, for the generic schemes. */
  header: string | null;
}

/**
 * A scheme's reading of a request's signature headers, before any secret is tried: what is missing
 * or malformed, or what to compare.
 */
export type Reading = { kind: 'missing'; header: string } | { kind: 'malformed'; reason: string } | Signed;

export interface Signed {
  kind: 'signed';
  /** The signed timestamp (unix seconds) for schemes that sign one. */
  timestamp?: number;
  /** True when only a timestamp too old fails (Stripe's and Slack's libraries accept one from the future). */
  pastOnly?: boolean;
  /** The signature as sent (what a second delivery with the same value would repeat). */
  signature: string;
  /** Words for the verdict of a valid check (`legacy SHA-1 header`). */
  note?: string;
  /** Whether `body`, signed with `secret`, gives one of the signatures sent. */
  matches(secret: string, body: Buffer): boolean | Promise<boolean>;
  /** Set when the scheme itself can tell the body was changed (Twilio's bodySHA256). */
  bodyDiffers?: (body: Buffer) => boolean;
  /** What besides the secret and the body could explain a mismatch (Twilio: the URL). */
  alsoSigned?: string;
}

/** One scheme: how to read a request's signature, and how to sign a request again (replay `--resign`). */
export interface Scheme {
  name: SchemeName;
  /** The header that marks a request as signed this way (for detection and for "missing"). */
  header: string;
  read(request: SignedRequest, context: CheckContext): Reading;
  /** Headers replaced (same place) or added so that `body` verifies with `secret` at `url`, signed `now`. */
  sign(request: ResignInput, secret: string): [string, string][] | Promise<[string, string][]>;
  /** How old its timestamp may be when no tolerance is given, when that is not 5 minutes (Paddle's SDK allows 5 seconds). */
  toleranceSeconds?: number;
  /** True when the signature covers the full URL the provider called (Twilio): sent to another URL, it cannot verify there. */
  signsUrl?: true;
  /** The URL to send a re-signed request to, when the scheme signs something in it (Twilio's bodySHA256). */
  signedUrl?(url: string, body: Buffer, contentType: string | null): string;
  /** A secret this scheme cannot use, in plain words (never echoing it); null when it is usable. */
  secretProblem?(secret: string): string | null;
}

export interface ResignInput {
  headers: [string, string][];
  body: Buffer;
  /** The full URL the request is sent to. */
  url: string;
  contentType: string | null;
  /** Epoch ms. */
  now: number;
  /** The header named by the rule, for the generic schemes. */
  header: string | null;
}
