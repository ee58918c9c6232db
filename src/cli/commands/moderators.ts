import { parseArgs } from 'node:util';
import { createModerator, grantSite, listModerators, ModeratorRole, revokeModerator, rotateModeratorToken } from '../../sites/moderator-store';
import { requireSite } from '../../sites/site-store';
import { CliIo, printJson, UsageError, withRedis } from '../io';

export const moderatorsHelp = `vigil moderators create --site SITE_ID [--site SITE_ID...] --name NAME [--role moderator|admin] [--json]
vigil moderators list [--site SITE_ID] [--json]
vigil moderators grant MODERATOR_ID --site SITE_ID
vigil moderators rotate MODERATOR_ID [--json]   (a new token; the old one stops working at once)
vigil moderators revoke MODERATOR_ID            (the token stops working and the moderator is removed)`;

export async function moderatorsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { site: { type: 'string', multiple: true }, name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
  });
  switch (sub) {
    case 'create': {
      const sites = values.site ?? [];
      if (!sites.length) throw new UsageError('--site is required');
      if (!values.name) throw new UsageError('--name is required');
      const role = (values.role ?? 'moderator') as ModeratorRole;
      if (role !== 'moderator' && role !== 'admin') throw new UsageError('--role must be moderator or admin');
      const created = await withRedis(async (r) => {
        for (const s of sites) await requireSite(r, s);
        return createModerator(r, { name: values.name!, role, siteIds: sites });
      });
      if (values.json) printJson(io, created);
      else io.stdout.write(`moderator ${created.moderatorId}\n  token ${created.token}\n(shown once)\n`);
      return 0;
    }
    case 'list': {
      const mods = await withRedis((r) => listModerators(r, values.site?.[0]));
      if (values.json) printJson(io, mods);
      else for (const m of mods) io.stdout.write(`${m.id}  ${m.name}  ${m.role}  sites=${m.siteIds.join(',')}\n`);
      return 0;
    }
    case 'grant': {
      const id = positionals[0];
      const site = values.site?.[0];
      if (!id || !site) throw new UsageError('MODERATOR_ID and --site are required');
      printJson(io, await withRedis(async (r) => (await requireSite(r, site), grantSite(r, id, site))));
      return 0;
    }
    case 'rotate': {
      const id = positionals[0];
      if (!id) throw new UsageError('MODERATOR_ID is required');
      const rotated = await withRedis((r) => rotateModeratorToken(r, id));
      if (values.json) printJson(io, rotated);
      else io.stdout.write(`moderator ${rotated.moderatorId}\n  token ${rotated.token}\n(shown once; the old token no longer works)\n`);
      return 0;
    }
    case 'revoke': {
      const id = positionals[0];
      if (!id) throw new UsageError('MODERATOR_ID is required');
      const m = await withRedis((r) => revokeModerator(r, id));
      io.stdout.write(`moderator ${m.id} revoked (sites: ${m.siteIds.join(',')})\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown moderators command: ${sub}` : 'a moderators command is required');
  }
}
