/**
 * Lists the errors of one inner leave-one-video-out spam run with each comment's strongest tokens, to see
 * why ham is flagged (training data only: `outer` is left out entirely, `video` is predicted by a model
 * trained on SMS x0.1 and the two remaining videos):
 *   node scripts/run-ts.js bench/spam-errors.ts OUTER VIDEO [--data DIR]     # indices 0-3: Psy, KatyPerry, LMFAO, Eminem
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../src/classifier/datasets';
import { NaiveBayesModel } from '../src/classifier/model';
import { trainModel } from '../src/classifier/train';

const { values, positionals } = parseArgs({ options: { data: { type: 'string' } }, allowPositionals: true });
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const videos = ['Youtube01-Psy', 'Youtube02-KatyPerry', 'Youtube03-LMFAO', 'Youtube04-Eminem'];
const [outer, video] = positionals.map(Number);
if (!(outer >= 0 && outer < 4 && video >= 0 && video < 4 && outer !== video)) throw new Error('usage: spam-errors.ts OUTER VIDEO (two different indices 0-3)');
const sms = loadDataset(path.join(D, 'sms-spam/SMSSpamCollection'));
const yt = videos.map((v) => loadDataset(path.join(D, `youtube-spam/${v}.csv`)));
const train = [...sms, ...yt.filter((_, i) => i !== outer && i !== video).flat()];
const m = new NaiveBayesModel(trainModel(train, { task: 'spam', name: 'spam', sourceWeights: { SMSSpamCollection: 0.1 } }));
console.log(`${videos[video]} predicted without ${videos[outer]}; review threshold ${m.thresholds.review}`);
for (const d of yt[video]) {
  const r = m.score(d.input, { explain: true });
  const flagged = r.score >= m.thresholds.review;
  if (flagged === (d.label === 1)) continue;
  const top = r.explanation!.slice(0, 6).map((e) => `${e.token}:${e.contribution.toFixed(2)}`).join(' ');
  console.log(`${flagged ? 'FP' : 'FN'} ${r.score.toFixed(2)} ${JSON.stringify(d.input.text.slice(0, 160))} | ${top}`);
}
