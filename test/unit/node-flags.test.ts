import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flags: string[] = require('../../scripts/node-flags');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('node flags of the service', () => {
  it('when the service is launched by npm start, the quick start or the container, then node gets every flag', () => {
    expect(flags.length).toBeGreaterThan(0);
    const launchers = {
      'package.json start': JSON.parse(read('package.json')).scripts.start as string,
      'scripts/quickstart.sh': read('scripts/quickstart.sh').split('\n').find((l) => l.startsWith('exec node'))!,
      Dockerfile: read('Dockerfile').split('\n').find((l) => l.startsWith('CMD ['))!,
    };
    for (const [name, line] of Object.entries(launchers)) {
      for (const f of flags) expect({ name, has: line.includes(f) }).toEqual({ name, has: true });
    }
  });
});
