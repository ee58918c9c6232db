import type { Phase } from '../types';

/**
 * Signals from the form itself. A filled honeypot field is a bot: rejected. A form sent faster than the site's
 * minimum fill time counts against the comment: it goes to review and feeds the spam model's fill-time feature.
 */
export const formSignalsPhase: Phase = (ctx) => {
  if (ctx.input.honeypot && ctx.input.honeypot.length > 0) {
    ctx.reasons.push('honeypot');
    ctx.verdict = 'rejected';
  }
  if (ctx.input.renderedAt) {
    const fillTimeMs = ctx.now.getTime() - Date.parse(ctx.input.renderedAt);
    ctx.meta.fillTimeMs = Math.max(0, fillTimeMs);
    if (fillTimeMs < ctx.site.policy.minFillTimeMs) ctx.reasons.push('too_fast');
  }
};
