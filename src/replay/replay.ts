import { randomBytes } from 'node:crypto';
import { DEFAULTS } from '../defaults.js';
import { describe, HookCatchError } from '../errors.js';
import type { CapturedRequest } from '../capture/capture.js';
import { encodeBody } from '../capture/encoded-body.js';
import type { RequestLog } from '../store/request-log.js';
import { resign, type ResignRule } from '../signatures/resign.js';
import { outgoing, sentRequest, urlAtApp, type Outgoing } from '../send/outgoing.js';
import { SCHEMES } from '../signatures/schemes.js';
import type { SchemeName } from '../capture/signature.js';
import { staleSignatureWarning } from '../signatures/stale.js';
import { urlSignatureWarning } from '../signatures/url-signed.js';
import { send } from '../send/send.js';
import { loopReason, type OwnAddresses } from '../send/target.js';
import type { Edits, ReplayRecord, SendResult } from '../capture/records.js';

export interface ReplayOptions {
  /** Where to send: the capture's path and query go below this URL's path. */
  to: URL;
  edits?: Edits;
  /** Default DEFAULTS.sendTimeoutMs. */
  timeoutMs?: number;
  insecure?: boolean;
  /** Where hook-catch itself listens, never a target. */
  own: OwnAddresses;
  /** Sign what is sent again with this secret (a fresh timestamp), under this scheme or the one its headers show. */
  resign?: ResignRule;
  /** Told, before sending, why the app will likely refuse what is sent (a signature over another URL). */
  onWarning?: (line: string) => void;
}

/**
 * Sends a stored capture again, exactly or edited, and keeps a record of it with the capture (the
 * capture itself is never changed). Resolves with the record whatever the target answered; throws
 * only when the target is hook-catch itself. A record the store cannot keep (a full disk) has
 * `notKept`: the replay was sent all the same, and must never be told as not sent.
 */
export async function replayCapture(log: RequestLog, request: CapturedRequest, options: ReplayOptions): Promise<ReplayRecord> {
  const record = await sendAgain(request, options);
  try {
    await log.appendReplay(record);
  } catch (error) {
    record.notKept = describe(error).replace(/\.$/, '');
  }
  return record;
}

/** For a replay sent but not kept: that it went out, what came back, and why there is no record of it. */
export function notKeptWarning(record: ReplayRecord): string | null {
  if (record.notKept === undefined) return null;
  const { result } = record;
  const went = result.ok
    ? `Sent to ${record.to}; your app answered ${`${result.status} ${result.statusText}`.trim()}`
    : `No answer from ${record.to} (${result.error.replace(/\.$/, '')})`;
  return `${went}. Not recorded: ${record.notKept}.`;
}

/** Sends a capture (or a fixture's request) again and says how it went, keeping nothing. */
export async function sendAgain(request: CapturedRequest, options: ReplayOptions): Promise<ReplayRecord> {
  const loop = await loopReason(options.to, options.own);
  if (loop) throw new HookCatchError(loop);
  const out = outgoing(request, options.to, options.edits);
  const resigned = options.resign ? await resignOutgoing(out, request.contentType, options.resign) : undefined;
  const elsewhere =
    resigned && SCHEMES[resigned].signsUrl
      ? null
      : urlSignatureWarning({ captured: request, headers: out.headers, url: urlAtApp(out), publicUrl: options.own.publicUrl }, REPLAY_FIX);
  const stale = resigned ? null : staleSignatureWarning(out.headers, Date.now(), REPLAY_FRESH);
  const warning = [elsewhere, stale].filter(Boolean).join(' ') || null;
  if (warning) options.onWarning?.(warning);
  const at = new Date().toISOString();
  const result = await send(out, {
    timeoutMs: options.timeoutMs ?? DEFAULTS.sendTimeoutMs,
    timeoutFlag: '--timeout',
    keepBytes: DEFAULTS.keptAnswerBytes,
    insecure: options.insecure,
  });
  const record: ReplayRecord = {
    id: `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
    of: request.id,
    at,
    to: out.url.href,
    edited: out.edited,
    ...(resigned && { resigned }),
    ...(warning && { warning }),
    sent: { ...sentRequest(out), bodySize: out.body.length, ...(out.edited ? encodeBody(out.body) : {}) },
    result: resultRecord(result),
  };
  return record;
}

/** What to do about a signed timestamp past its tolerance: sign it again, now. */
const REPLAY_FRESH = (scheme: SchemeName) => `add --resign ${scheme} to sign it afresh (on the page: Re-sign, with --verify ${scheme}).`;

/** What to do about a signature over the URL it was sent to: sign it again for the target. */
const REPLAY_FIX = (scheme: SchemeName) => `add --resign ${scheme} to sign it for that URL (on the page: Re-sign, with --verify ${scheme}).`;

/** Puts new signature headers (and for Twilio's JSON, a new bodySHA256 in the URL) on `out`; the scheme used. */
export async function resignOutgoing(out: Outgoing, contentType: string | null, rule: ResignRule): Promise<SchemeName> {
  // Signed for the URL the app sees (a Host an edit set names it), as Twilio signs the URL it calls.
  const signed = await resign({ headers: out.headers, body: out.body, url: urlAtApp(out), contentType }, rule);
  if (!signed) throw new HookCatchError('Cannot re-sign: the capture has no signature header of a known scheme; name the scheme, such as stripe:SECRET.');
  out.headers = signed.headers;
  const { search } = new URL(signed.url);
  if (search !== out.url.search) {
    out.path = out.path.split('?')[0] + search;
    out.url.search = search;
  }
  out.edited = true;
  return signed.scheme;
}

function resultRecord(result: SendResult): ReplayRecord['result'] {
  if (!result.ok) return result;
  const { body, ...rest } = result;
  return { ...rest, ...encodeBody(body) };
}
