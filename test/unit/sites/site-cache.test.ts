import { SiteCache, TTL_MS } from '../../../src/sites/site-cache';

const record = { id: 's1', name: 'n', policy: '{}' };

describe('site cache', () => {
  it('when the change subscription is not up, then nothing is served from or kept in the cache', () => {
    const c = new SiteCache();
    c.set('s1', 'site', record, c.startRead(), 0);
    expect(c.get('s1', 'site', 0)).toBeUndefined();
  });

  it('when live, then a read is served until the TTL passes', () => {
    const c = new SiteCache();
    c.live = true;
    c.set('s1', 'site', record, c.startRead(), 1000);
    expect(c.get('s1', 'site', 1000 + TTL_MS)).toBe(record);
    expect(c.get('s1', 'site', 1001 + TTL_MS)).toBeUndefined();
  });

  it('when a change is heard while a read is in flight, then what that read fetched is not kept', () => {
    const c = new SiteCache();
    c.live = true;
    const token = c.startRead();
    c.drop('other-site');
    c.set('s1', 'site', record, token, 0);
    expect(c.get('s1', 'site', 0)).toBeUndefined();
  });

  it('when a site changes, then only its entry goes; when the subscription drops, then all go', () => {
    const c = new SiteCache();
    c.live = true;
    c.set('s1', 'site', record, c.startRead(), 0);
    c.set('s2', 'site', { ...record, id: 's2' }, c.startRead(), 0);
    c.set('s1', 'webhooks', [], c.startRead(), 0);
    c.drop('s1');
    expect(c.get('s1', 'site', 0)).toBeUndefined();
    expect(c.get('s1', 'webhooks', 0)).toBeUndefined();
    expect(c.get<typeof record>('s2', 'site', 0)?.id).toBe('s2');
    c.drop();
    expect(c.get<typeof record>('s2', 'site', 0)).toBeUndefined();
  });

});
