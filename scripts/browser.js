// One way to start the headless Chromium that the page's tests, `npm run screenshot` and the
// page benchmark drive: Debian's `chromium` package, with every background network call off
// (nothing here may dial out, and the flags keep Chromium from trying).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.HOOK_CATCH_CHROMIUM || '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

/** @returns {Promise<import('playwright-core').Browser>} */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\`, or set HOOK_CATCH_CHROMIUM to a Chromium binary.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
