import { AddressRefusedError, checkTarget, classifyAddress, parseAllowlist, REFUSED, Resolver } from '../../../src/webhooks/ssrf';

/** The operator-facing reason of a refusal; the message itself is always the generic one. */
async function reasonOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof AddressRefusedError)) throw new Error(`expected a refusal, got ${String(err)}`);
  expect(err.message).toBe(REFUSED);
  return err.reason;
}

const none = parseAllowlist('');
const fixed = (...addresses: string[]): Resolver => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200',
    '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254',
    '64:ff9b::10.0.0.1', '224.0.0.1', '255.255.255.255',
    // Embedded and translated IPv4 forms: local-use NAT64, IPv4-translated, mapped in hex, NAT64 in hex.
    '64:ff9b:1::7f00:1', '64:ff9b:1:abcd::a00:1', '::ffff:0:7f00:1', '::ffff:0:127.0.0.1', '0:0:0:0:ffff:0:a9fe:a9fe',
    '::ffff:a00:1', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '::7f00:1', '2002:7f00:1::1',
  ])('when the address is %s, then it is not public', (a) => {
    expect(classifyAddress(a)).toBeDefined();
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::6810:84e5', '::ffff:8.8.8.8'])('when the address is %s, then it is public', (a) => {
    expect(classifyAddress(a)).toBeUndefined();
  });

  it('when a name resolves to a metadata or private address, then it is refused with one generic message (the reason only for the operator)', async () => {
    expect(await reasonOf(checkTarget('http://meta.example/hook', none, fixed('169.254.169.254')))).toMatch(/169\.254\.169\.254.*link-local/);
    await expect(checkTarget('https://evil.example/', none, fixed('93.184.215.14', '10.0.0.5'))).rejects.toThrow(AddressRefusedError);
    expect(await reasonOf(checkTarget('http://[::1]:8080/', none))).toMatch(/loopback/);
    expect(await reasonOf(checkTarget('http://127.0.0.1/', none))).toMatch(/loopback/);
    // Other spellings of 127.0.0.1 that URL parsing normalises.
    expect(await reasonOf(checkTarget('http://2130706433/', none))).toMatch(/loopback/);
    expect(await reasonOf(checkTarget('http://0x7f.0.0.1/', none))).toMatch(/loopback/);
    expect(await reasonOf(checkTarget('http://127.1/', none))).toMatch(/loopback/);
    expect(await reasonOf(checkTarget('http://[0:0:0:0:0:ffff:a9fe:a9fe]/', none))).toMatch(/link-local/);
  });

  it('when a webhook URL is an embedded-IPv4 or NAT64 literal of an internal address, then it is refused', async () => {
    for (const host of ['[64:ff9b:1::7f00:1]', '[::ffff:0:7f00:1]', '[64:ff9b::7f00:1]', '[::ffff:7f00:1]', '[::ffff:0:a9fe:a9fe]']) {
      expect(await reasonOf(checkTarget(`http://${host}:8080/hook`, none))).toMatch(/loopback|link-local|NAT64/);
    }
  });

  it('when a name is internal, resolves to a private address or does not resolve, then the answers are identical', async () => {
    const nx: Resolver = async () => { throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' }); };
    const messages = await Promise.all([
      checkTarget('http://db.internal/', none, fixed('10.0.0.7')).catch((e: Error) => e.message),
      checkTarget('http://nowhere.internal/', none, nx).catch((e: Error) => e.message),
      checkTarget('http://meta.internal/', none, fixed('169.254.169.254')).catch((e: Error) => e.message),
    ]);
    expect(new Set(messages)).toEqual(new Set([REFUSED]));
    for (const m of messages) expect(m).not.toMatch(/10\.0\.0\.7|169\.254|internal|ENOTFOUND/);
  });

  it('when a name resolves to a public address, then that address is pinned for the connection', async () => {
    const t = await checkTarget('https://hooks.example.com/x', none, fixed('93.184.215.14'));
    expect(t).toMatchObject({ hostname: 'hooks.example.com', address: '93.184.215.14', family: 4 });
  });

  it('when the URL has another scheme, credentials or does not resolve, then it is refused', async () => {
    await expect(checkTarget('ftp://hooks.example.com/', none, fixed('93.184.215.14'))).rejects.toThrow(/http or https/);
    await expect(checkTarget('file:///etc/passwd', none)).rejects.toThrow(AddressRefusedError);
    await expect(checkTarget('https://u:p@hooks.example.com/', none, fixed('93.184.215.14'))).rejects.toThrow(/credentials/);
    await expect(checkTarget('not a url', none)).rejects.toThrow(/not valid/);
    const nx: Resolver = async () => { throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' }); };
    expect(await reasonOf(checkTarget('https://nowhere.invalid/', none, nx))).toMatch(/ENOTFOUND/);
  });

  it('when the allowlist names the range or the host, then private addresses are allowed', async () => {
    await expect(checkTarget('http://127.0.0.1:9/', parseAllowlist('127.0.0.1'))).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkTarget('http://internal.corp/', parseAllowlist('10.0.0.0/8'), fixed('10.2.3.4'))).resolves.toMatchObject({ address: '10.2.3.4' });
    await expect(checkTarget('http://internal.corp/', parseAllowlist('10.0.0.0/8'), fixed('192.168.0.1'))).rejects.toThrow();
    await expect(checkTarget('http://Hooks.Internal./', parseAllowlist(' hooks.internal , fd00::/8'), fixed('192.168.0.1'))).resolves.toMatchObject({ address: '192.168.0.1' });
    await expect(checkTarget('http://[fd00::5]/', parseAllowlist('fd00::/8'))).resolves.toMatchObject({ family: 6 });
  });

  it('when DNS changes between registration and delivery (rebinding), then the second check refuses', async () => {
    let calls = 0;
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
    await expect(checkTarget('http://rebind.example/', none, rebinding)).resolves.toBeDefined();
    expect(await reasonOf(checkTarget('http://rebind.example/', none, rebinding))).toMatch(/loopback/);
  });
});
