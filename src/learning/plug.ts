import type { Plug } from '../plug';
import type { AppContext } from '../http/context';
import { Compactor, startCompactor } from './compactor';
import { Learner, startLearner } from './learner';

const learners = new WeakMap<AppContext, Learner>();
const compactors = new WeakMap<AppContext, Compactor>();

/** The learner of a running service, when this process runs workers. */
export function learnerOf(ctx: AppContext): Learner | undefined {
  return learners.get(ctx);
}

/** The compactor (snapshots, retention trim, agreement) of a running service, when this process runs workers. */
export function compactorOf(ctx: AppContext): Compactor | undefined {
  return compactors.get(ctx);
}

/**
 * Starts learning from moderators' and sites' feedback; an undo appends a withdrawal that unlearns it. The compactor
 * runs even with learning off: it is what trims the feedback streams (which hold comment text) to the retention.
 */
export const learningPlug: Plug = async ({ ctx, closers, workers }) => {
  if (!workers) return;
  const compactor = startCompactor({
    redis: ctx.redis,
    models: ctx.moderation.models,
    logger: ctx.logger,
    minSites: ctx.config.LEARN_GLOBAL_MIN_SITES,
    retentionSeconds: ctx.config.RETENTION_DAYS * 86400,
    intervalMs: ctx.config.LEARN_SNAPSHOT_SECONDS * 1000,
  });
  compactors.set(ctx, compactor);
  closers.push(() => compactor.close());
  if (!ctx.config.LEARN_FROM_FEEDBACK) return;
  const learner = startLearner({
    redis: ctx.redis,
    models: ctx.moderation.models,
    logger: ctx.logger,
  });
  learners.set(ctx, learner);
  closers.push(() => learner.close());
};
