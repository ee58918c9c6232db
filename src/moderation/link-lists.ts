import type { ScoreInput } from '../classifier';
import type { Policy } from '../sites/policy';

/**
 * The site's own link lists (policy `links`) as the spam model reads them. Every door that scores spam for a site
 * (the comment pipeline, /v1/check, Perspective's SPAM) takes them from here, so a citation the site allowed scores
 * the same whichever API asked. Empty lists add nothing, which keeps the input of sites without lists unchanged.
 */
export function linkListsOf(policy: Pick<Policy, 'links'>): Pick<ScoreInput, 'domains'> {
  const { allow, deny } = policy.links ?? { allow: [], deny: [] };
  return allow.length || deny.length ? { domains: { allow, deny } } : {};
}
