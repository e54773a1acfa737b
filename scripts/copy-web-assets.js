// The page's static files go beside its compiled scripts in dist/web (run by `npm run build`).
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/web', { recursive: true });
for (const file of ['index.html', 'style.css', 'favicon.svg']) copyFileSync(`web/${file}`, `dist/web/${file}`);
