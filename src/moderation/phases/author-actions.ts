import { keys } from '../../infra/keys';
import { activeAction } from '../../review/author-action-record';
import { identitiesOf } from '../intake-script';
import type { Phase, RawAuthorActions } from '../types';

/**
 * What moderators decided about the author on this site (review/author-actions.ts): a ban or a suspension in force on
 * the e-mail or the IP rejects the comment (`author_banned`, `author_suspended`) whatever the models say; trust on the
 * e-mail makes the author trusted, ahead of any standing earned from history. A ban wins over trust, so banning the
 * IP of a trusted author still stops them. The records come with the author's standing (the intake script's round
 * trip, or the standing phase's own read), so this phase costs no Redis call of its own on any shipped path.
 */
export const authorActionsPhase: Phase = async (ctx) => {
  const raw = ctx.authorActions ?? ctx.signals?.actions ?? (await readActions(ctx));
  if (!raw.email && !raw.ip) return;
  const now = ctx.now.getTime();
  const email = activeAction(raw.email, now);
  const ip = activeAction(raw.ip, now);
  const reject = (code: string) => {
    if (!ctx.reasons.includes(code)) ctx.reasons.push(code);
    ctx.verdict = 'rejected';
  };
  if (email?.action === 'ban' || ip?.action === 'ban') return reject('author_banned');
  if (email?.action === 'suspend' || ip?.action === 'suspend') return reject('author_suspended');
  if (email?.action === 'trust') {
    ctx.authorStanding = 'trusted';
    ctx.trustedByModerator = true;
  }
};

async function readActions(ctx: Parameters<Phase>[0]): Promise<RawAuthorActions> {
  const id = identitiesOf(ctx);
  const [email, ip] = await ctx.deps.redis.mget(keys.authorAction(ctx.site.id, 'email', id.email), keys.authorAction(ctx.site.id, 'ip', id.ip));
  return (ctx.authorActions = { email: id.email ? email : null, ip });
}
