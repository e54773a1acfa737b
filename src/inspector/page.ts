import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';

/**
 * Where the built page is: `dist/web/` beside `dist/inspector/` when running the package, or the
 * same folder seen from `src/inspector/` when running from source (tests, `tsx`).
 */
function pageDir(): string | null {
  for (const candidate of ['../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`) && existsSync(`${dir}main.js`)) return dir;
  }
  return null;
}

/**
 * The inspector page at `/`: static files built from `web/` by `npm run build`, nothing from the
 * network. Its Content-Security-Policy lets only its own scripts run and only its own origin be
 * called (the API and `/ws`), so even a body that got past the page's text-only drawing could not
 * run or load anything.
 */
export function pageRoutes(): express.Router {
  const router = express.Router();
  const dir = pageDir();
  router.use((req, res, next) => {
    res.set({
      'Content-Security-Policy': [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        `connect-src 'self' ws://${req.headers.host ?? 'localhost'}`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    next();
  });
  if (!dir) {
    router.get('/', (_req, res) => {
      res.status(503).type('text/plain').send('The inspector page is not built: run `npm run build` in the hook-catch folder. The API is at /api.\n');
    });
    return router;
  }
  router.use(express.static(dir, { index: 'index.html', etag: false, lastModified: false, dotfiles: 'ignore' }));
  return router;
}
