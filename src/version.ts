// Read at run time so the version has one source, package.json, whether running from src/ or dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../package.json').version;
