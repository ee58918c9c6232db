import path from 'node:path';

/** src/web holds the static pages; the same path works from src/ (tests) and dist/ (built). */
export const WEB_DIR = path.resolve(__dirname, '..', '..', 'src', 'web');
