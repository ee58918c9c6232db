import type { Plug } from '../plug';
import type { AppContext } from '../http/context';
import { Learner, startLearner } from './learner';

const learners = new WeakMap<AppContext, Learner>();

/** The learner of a running service, when this process runs workers. */
export function learnerOf(ctx: AppContext): Learner | undefined {
  return learners.get(ctx);
}

/** Starts learning from moderators' and Akismet clients' feedback; an undo appends a withdrawal that unlearns it. */
export const learningPlug: Plug = async ({ ctx, closers, workers }) => {
  if (!workers || !ctx.config.LEARN_FROM_FEEDBACK) return;
  const learner = startLearner({
    redis: ctx.redis,
    models: ctx.moderation.models,
    logger: ctx.logger,
  });
  learners.set(ctx, learner);
  closers.push(() => learner.close());
};
