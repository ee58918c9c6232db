import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadBundledModels, loadModelFile, Model } from '../../classifier';
import type { NaiveBayesModel } from '../../classifier';
import { createLogger } from '../../logger';
import { startLearner } from '../../learning/learner';
import { requireSite } from '../../sites/site-store';
import { CliIo, UsageError, withRedis } from '../io';

export const modelsHelp =
  'vigil models export --model spam|toxicity|PATH --out PATH [--site SITE_ID...]   the model plus everything learnt from feedback in Redis, as a new model file';

/**
 * Writes a model with the feedback in Redis learnt into it, so a deployment can ship what its moderators taught
 * (MODELS_DIR) or inspect it with `vigil eval`.
 */
export async function modelsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'export') throw new UsageError(sub ? `unknown models command: ${sub}` : 'a models command is required');
  const { values } = parseArgs({ args: rest, options: { model: { type: 'string' }, out: { type: 'string' }, site: { type: 'string', multiple: true } } });
  if (!values.model || !values.out) throw new UsageError('--model and --out are required');
  const bundled = values.model === 'spam' || values.model === 'toxicity' ? loadBundledModels() : undefined;
  const model: Model = bundled ? bundled[values.model as 'spam' | 'toxicity'] : loadModelFile(values.model);
  // Feedback for the other task is skipped (tasks below); the other slot only satisfies the learner's type.
  const ignore: Model = { ...model, score: () => ({ score: 0 }), learn: () => undefined };
  const models = model.task === 'spam' ? { spam: model, toxicity: ignore } : { spam: ignore, toxicity: model };
  const learnt = await withRedis(async (redis) => {
    for (const s of values.site ?? []) await requireSite(redis, s);
    const learner = startLearner({ redis, models, logger: createLogger('silent'), siteIds: values.site, tasks: [model.task], intervalMs: 3600_000 });
    try {
      await learner.catchUp();
    } finally {
      await learner.close();
    }
    return learner;
  });
  const counted = (values.site ?? []).reduce((n, s) => n + learnt.learnt(s), 0);
  fs.writeFileSync(values.out, JSON.stringify((model as NaiveBayesModel).toFile()));
  io.stdout.write(`wrote ${values.out} (${model.task} model${values.site ? `, ${counted} feedback examples from ${values.site.length} site(s)` : ', with the feedback of every site'})\n`);
  return 0;
}
