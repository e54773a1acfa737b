import type { RequestLog } from '../store/request-log.js';
import { notSent, type Forwarder } from './forward.js';

/**
 * Captures kept with a forward to make whose forward never ended (hook-catch stopped first): sent
 * now, before any new one, when forwarding; otherwise marked `not forwarded`, with one line that says so.
 */
export async function settleOwedForwards(
  store: RequestLog,
  forwarder: Forwarder | null,
  reporter: { notice(line: string): void; warning(line: string): void },
): Promise<void> {
  const owed = store.unforwarded();
  if (owed.length === 0) return;
  const count = owed.length === 1 ? '1 capture' : `${owed.length.toLocaleString('en-US')} captures`;
  if (forwarder) {
    forwarder.resume(owed.map((capture) => capture.id));
    reporter.notice(`Forwarding ${count} kept before hook-catch last stopped, whose forward had not ended (your app may see one twice).`);
    return;
  }
  const forward = notSent(
    'not forwarded: hook-catch stopped before forwarding it and was started again without --forward (send it with: hook-catch replay <id> --to <your app>)',
  );
  await Promise.all(owed.map((capture) => store.appendForward(capture.id, { answered: capture.status, forward })));
  reporter.warning(
    `${count} kept before hook-catch last stopped ${owed.length === 1 ? 'was' : 'were'} never forwarded, and --forward is not given now: marked "not forwarded". hook-catch replay <id> --to <your app> sends one.`,
  );
}
