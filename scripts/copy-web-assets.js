// The page's static files go beside its compiled scripts in dist/web (run by `npm run build`, and
// by the command's own build in a clone: scripts/build-from-source.js).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ASSETS = ['index.html', 'style.css', 'favicon.svg'];

export function copyWebAssets(root = '.') {
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  for (const file of WEB_ASSETS) copyFileSync(join(root, 'web', file), join(root, 'dist/web', file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyWebAssets();
