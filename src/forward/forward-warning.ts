import type { CapturedRequest } from '../capture/capture.js';
import { shortId } from '../capture/ids.js';
import { urlSignatureWarning } from '../signatures/url-signed.js';
import { outgoing, urlAtApp } from '../send/outgoing.js';

/**
 * `--forward`: one warning per start, at the first capture forwarded whose signature covers the URL
 * it came to (Twilio's), before it is sent: the app checking it at its own URL refuses it. Once is
 * enough (every such capture is alike); the forward goes on either way.
 */
export function forwardWarner(url: URL, publicUrl: () => string | null, warn: (line: string) => void): (request: CapturedRequest) => void {
  let warned = false;
  return (request) => {
    if (warned) return;
    const out = outgoing(request, url);
    const fix = (scheme: string) =>
      `\`hook-catch replay ${shortId(request.id)} --resign ${scheme}\` sends it signed for your app's URL (said once, for the first such webhook).`;
    const line = urlSignatureWarning({ captured: request, headers: out.headers, url: urlAtApp(out), publicUrl: publicUrl() }, fix);
    if (!line) return;
    warned = true;
    warn(line);
  };
}
