/**
 * What per-site learning costs when scoring (docs/models.md, "Learning per site"): spam + toxicity scoring of
 * YouTube comments for a site without feedback and for a site whose moderators labelled N comments, and the overlay
 * sizes. `node scripts/run-ts.js bench/site-overlay.ts [N=500]`
 */
import path from 'node:path';
import { loadBundledModels, type Model } from '../src/classifier';
import { loadDataset } from '../src/classifier/datasets';
import { commandLine, recordBench } from './record';

const dir = path.resolve(__dirname, '../../shared/datasets/youtube-spam');
const train = loadDataset(path.join(dir, 'Youtube01-Psy.csv'));
const test = [...loadDataset(path.join(dir, 'Youtube02-KatyPerry.csv')), ...loadDataset(path.join(dir, 'Youtube03-LMFAO.csv'))];
const n = Number(process.argv[2] ?? 500);
const models = loadBundledModels();
for (const d of train.slice(0, n)) {
  models.spam.learn(d.input, d.label, 1, 'labelled');
  models.toxicity.learn(d.input, 0, 1, 'labelled');
}

function rate(siteId: string | undefined, rounds = 20): number {
  const score = (m: Model, text: string) => m.score({ text }, siteId === undefined ? undefined : { siteId });
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const d of test) {
      score(models.spam, d.input.text);
      score(models.toxicity, d.input.text);
    }
    best = Math.max(best, test.length / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return best;
}
const runs: number[][] = [];
for (let i = 0; i < 2; i++) {
  const plain = rate(undefined);
  const none = rate('no-feedback');
  const site = rate('labelled');
  runs.push([plain, none, site]);
  console.log(`comments/s (spam + toxicity, best of 20 rounds of ${test.length}): no site ${plain.toFixed(0)}, site without feedback ${none.toFixed(0)}, site with ${n} labels ${site.toFixed(0)}`);
}
recordBench('site-overlay', {
  title: 'Scoring with per-site learning (site overlays)',
  command: commandLine('node scripts/run-ts.js bench/site-overlay.ts'),
  tables: [{
    caption: `Comments per second, spam + toxicity, best of 20 rounds over ${test.length} YouTube comments; two runs:`,
    columns: ['no site', 'site without feedback', `site with ${n} labelled comments`],
    rows: runs.map((r) => r.map((x) => x.toFixed(0))),
  }],
  raw: { n, runs },
});
