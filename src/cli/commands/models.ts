import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadBundledModels, loadModelFile, Model } from '../../classifier';
import type { NaiveBayesModel } from '../../classifier';
import { SITE_WEIGHT } from '../../classifier/site-overlay';
import { createLogger } from '../../logger';
import { startLearner } from '../../learning/learner';
import { listSites, requireSite } from '../../sites/site-store';
import { CliIo, UsageError, withRedis } from '../io';

export const modelsHelp = [
  'vigil models export --model spam|toxicity|PATH --out PATH [--site SITE_ID]',
  '    Writes a new model file: the model (shipped by name, or the file at PATH) with what several sites agreed on in',
  '    their feedback learnt into it, i.e. the global model every Vigil instance scores with. With --site, the model',
  `    that site's comments are scored with instead: the global model plus the site's own feedback counted ${SITE_WEIGHT} times`,
  '    (its overlay). Only feedback for the model\'s task is used; withdrawn (undone) feedback is netted out. Class',
  '    totals and calibration stay as trained, so the file scores exactly as the service does.',
].join('\n');

/**
 * Writes a model with the feedback in Redis learnt into it, so a deployment can ship what its moderators taught
 * (MODELS_DIR) or inspect it with `vigil eval`; `--site` writes the model as one site sees it.
 */
export async function modelsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || rest.includes('--help')) {
    io.stdout.write(`${modelsHelp}\n`);
    return 0;
  }
  if (sub !== 'export') throw new UsageError(sub ? `unknown models command: ${sub}` : 'a models command is required');
  const { values } = parseArgs({ args: rest, options: { model: { type: 'string' }, out: { type: 'string' }, site: { type: 'string' } } });
  if (!values.model || !values.out) throw new UsageError('--model and --out are required');
  const bundled = values.model === 'spam' || values.model === 'toxicity' ? loadBundledModels() : undefined;
  const model: Model = bundled ? bundled[values.model as 'spam' | 'toxicity'] : loadModelFile(values.model);
  // Feedback for the other task is skipped (tasks below); the other slot only satisfies the learner's type.
  const none = () => undefined;
  const ignore: Model = { ...model, score: () => ({ score: 0 }), learn: none, learnSite: none, loadSite: none, setAgreed: none, learnable: () => [] };
  const models = model.task === 'spam' ? { spam: model, toxicity: ignore } : { spam: ignore, toxicity: model };
  const site = values.site;
  const { total, own } = await withRedis(async (redis) => {
    if (site !== undefined) await requireSite(redis, site);
    const learner = startLearner({ redis, models, logger: createLogger('silent'), tasks: [model.task], intervalMs: 3600_000 });
    try {
      await learner.catchUp();
    } finally {
      await learner.close();
    }
    const ids = (await listSites(redis)).map((s) => s.id);
    return { total: ids.reduce((n, id) => n + learner.learnt(id), 0), own: site === undefined ? 0 : learner.learnt(site) };
  });
  fs.writeFileSync(values.out, JSON.stringify((model as NaiveBayesModel).toFile(site)));
  const what = site === undefined ? 'global' : `site ${site}: global plus its own ${own} entries counted ${SITE_WEIGHT} times`;
  io.stdout.write(`wrote ${values.out} (${model.task} model, ${what}; ${total} feedback entries learnt from all sites)\n`);
  return 0;
}
