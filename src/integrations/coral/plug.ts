import type { Plug } from '../../plug';
import { registerOperations } from '../../http/openapi';
import { problemSchema } from '../../http/schemas';
import { coralRequestSchema, coralResponseSchema } from './request';
import { coralRoutes } from './routes';

const problem = (description: string) => ({ description, schema: problemSchema });

// Registered once, when the module loads: a process may compose several apps (the tests do).
registerOperations([
  {
    method: 'post', path: '/v1/integrations/coral/{siteId}', auth: 'none', body: coralRequestSchema,
    summary: "Coral's external moderation phase. Signed by Coral: X-Coral-Signature: sha256=<HMAC-SHA256 of the raw body with the signing secret set by `vigil integrations coral`>, several comma-separated during a rotation. Scored like POST /v1/comments from a server; stored for learning and audit, never queued for Vigil's review.",
    responses: {
      '200': { description: "Coral's ExternalModerationResponse: SYSTEM_WITHHELD or REJECTED with FLAG actions, or PREMOD", schema: coralResponseSchema },
      '204': { description: 'Vigil approves (or the author is Coral staff, or the comment has no text): Coral carries on' },
      '400': problem('The body is not JSON'),
      '401': problem('signature_invalid: unsigned, wrongly signed, or no signing secret set for the site'),
      '413': problem('The body is larger than 64 KB'),
      '422': problem('The body is not an ExternalModerationRequest'),
      '503': problem('Vigil cannot reach its store'),
    },
  },
]);

/** Plugs Coral's external moderation phase into the app. */
export const coralPlug: Plug = async ({ ctx, extras }) => {
  extras.bodyRouters.push({ path: '/v1/integrations', router: coralRoutes(ctx) });
};
