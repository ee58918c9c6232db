import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createSite, listSites, requireSite, rotateSiteKeys, updatePolicy } from '../../sites/site-store';
import { policyPatchSchema } from '../../sites/policy';
import { CliIo, printJson, UsageError, withRedis } from '../io';
import { loadConfig } from '../../config';
import { loadConfiguredSecret } from '../../infra/server-secret';
import { AkismetKeyExistsError, issueAkismetKey } from '../../akismet/akismet-key';

export const sitesHelp = `vigil sites create --name NAME --origin URL [--origin URL...] [--captcha pow|pow+svg|svg|off] [--moderation auto|pre|post] [--json]
vigil sites list [--json]
vigil sites show SITE_ID
vigil sites policy SITE_ID [--set JSON]     show, or merge a JSON patch into, the site's policy
vigil sites rotate-keys SITE_ID [--json]     new site and secret keys; the old ones stop working
vigil sites akismet-key --site SITE_ID [--rotate] [--json]
                                             the site's Akismet key (12 hex characters, for WordPress's settings page);
                                             shown once; --rotate replaces it (the old one stops working)`;

function patchFrom(json: string): z.output<typeof policyPatchSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new UsageError('--set must be JSON, e.g. --set \'{"captcha":"pow"}\'');
  }
  const r = policyPatchSchema.safeParse(raw);
  if (!r.success) throw new UsageError(`invalid policy: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export async function sitesCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' }, origin: { type: 'string', multiple: true }, captcha: { type: 'string' },
      moderation: { type: 'string' }, json: { type: 'boolean' }, set: { type: 'string' },
      site: { type: 'string' }, rotate: { type: 'boolean' },
    },
  });
  switch (sub) {
    case 'create': {
      if (!values.name) throw new UsageError('--name is required');
      const origins = values.origin ?? [];
      if (!origins.length) throw new UsageError('at least one --origin is required (the site that shows the comment form)');
      const patch = patchFrom(JSON.stringify({
        ...(values.captcha ? { captcha: values.captcha } : {}), ...(values.moderation ? { moderation: values.moderation } : {}),
        allowedOrigins: origins,
      }));
      const created = await withRedis((r) => createSite(r, { name: values.name!, origins, policy: patch }));
      if (values.json) printJson(io, created);
      else io.stdout.write(`site ${created.siteId}\n  site key   ${created.siteKey}\n  secret key ${created.secretKey}\n(keys are shown once)\n`);
      return 0;
    }
    case 'list': {
      const sites = await withRedis(listSites);
      if (values.json) printJson(io, sites.map((s) => ({ siteId: s.id, name: s.name, createdAt: s.createdAt, captcha: s.policy.captcha, moderation: s.policy.moderation, origins: s.policy.allowedOrigins })));
      else for (const s of sites) io.stdout.write(`${s.id}  ${s.name}  captcha=${s.policy.captcha} moderation=${s.policy.moderation}  ${s.policy.allowedOrigins.join(',')}\n`);
      return 0;
    }
    case 'show': {
      const id = positionals[0] ?? '';
      if (!id) throw new UsageError('SITE_ID is required');
      const s = await withRedis((r) => requireSite(r, id));
      printJson(io, { siteId: s.id, name: s.name, createdAt: s.createdAt, policy: s.policy });
      return 0;
    }
    case 'policy': {
      const id = positionals[0] ?? '';
      if (!id) throw new UsageError('SITE_ID is required');
      const policy = await withRedis(async (r) => (values.set ? updatePolicy(r, id, patchFrom(values.set)) : (await requireSite(r, id)).policy));
      printJson(io, policy);
      return 0;
    }
    case 'rotate-keys': {
      const id = positionals[0] ?? '';
      if (!id) throw new UsageError('SITE_ID is required');
      printJson(io, await withRedis((r) => rotateSiteKeys(r, id)));
      return 0;
    }
    case 'akismet-key': {
      const id = values.site ?? positionals[0] ?? '';
      if (!id) throw new UsageError('--site SITE_ID is required');
      const issued = await withRedis(async (r) => {
        const secret = await loadConfiguredSecret(r, loadConfig());
        try {
          return await issueAkismetKey(r, secret, id, { rotate: values.rotate });
        } catch (e) {
          if (e instanceof AkismetKeyExistsError) throw new UsageError(e.message);
          throw e;
        }
      });
      if (values.json) printJson(io, issued);
      else io.stdout.write(`site ${issued.siteId}\n  Akismet key ${issued.akismetKey}${issued.replaced ? ' (the previous one no longer works)' : ''}\n(shown once: paste it into WordPress's Akismet settings page)\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown sites command: ${sub}` : 'a sites command is required');
  }
}
