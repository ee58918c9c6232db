import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { loadConfiguredSecret } from '../../infra/server-secret';
import { setCoralSigningSecret, SIGNING_SECRET } from '../../integrations/coral/signing-secret';
import { requireSite } from '../../sites/site-store';
import { CliIo, printJson, UsageError, withRedis } from '../io';

export const integrationsHelp = `vigil integrations coral --site SITE_ID --signing-secret SECRET [--base-url URL] [--json]
                                          store the signing secret Coral shows for an external moderation phase
                                          (encrypted with the server secret) and print the Callback URL to paste into Coral`;

/** `vigil integrations coral`: the one integration with a per-site secret so far. */
export async function integrationsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { site: { type: 'string' }, 'signing-secret': { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean' } },
  });
  if (sub !== 'coral') throw new UsageError(sub ? `unknown integration "${sub}"` : 'an integration is required (coral)');
  if (!values.site) throw new UsageError('--site is required');
  const secret = values['signing-secret'];
  if (!secret) throw new UsageError("--signing-secret is required: the secret Coral shows under Configure > Moderation > Moderation phases");
  if (!SIGNING_SECRET.test(secret)) throw new UsageError('--signing-secret must be 16 to 200 visible ASCII characters');
  const config = loadConfig();
  let base = values['base-url'] ?? `http://localhost:${config.PORT}`;
  if (!/^https?:\/\/[^\s/]+/.test(base)) throw new UsageError('--base-url must be the http(s) URL Coral reaches Vigil at');
  base = base.replace(/\/+$/, '');
  const siteId = values.site;
  await withRedis(async (redis) => {
    await requireSite(redis, siteId);
    await setCoralSigningSecret(redis, await loadConfiguredSecret(redis, config), siteId, secret);
  });
  const url = `${base}/v1/integrations/coral/${siteId}`;
  if (values.json) printJson(io, { siteId, url });
  else {
    io.stdout.write(`Coral signing secret stored for site ${siteId}.\nCallback URL for Coral: ${url}\n`);
    if (!values['base-url']) io.stdout.write('(use --base-url to print it with the address Coral reaches Vigil at)\n');
  }
  return 0;
}
