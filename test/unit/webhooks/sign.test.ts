import { Webhook } from 'standardwebhooks';
import { generateSecret, isSecret, sign, webhookHeaders } from '../../../src/webhooks/sign';

describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ type: 'comment.pending', timestamp: '2026-11-26T22:00:00.000Z', data: { commentId: 'c1' } });
  const now = () => Math.floor(Date.now() / 1000);

  it('when a secret is generated, then it is whsec_ and 32 random bytes in base64', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(isSecret(s)).toBe(true);
    expect(generateSecret()).not.toBe(s);
  });

  it('when a message is signed, then the signature equals the reference implementation and verifies', () => {
    const secret = generateSecret();
    const ts = now();
    const ours = sign(secret, 'msg_1', ts, body);
    expect(ours).toBe(new Webhook(secret).sign('msg_1', new Date(ts * 1000), body));
    expect(new Webhook(secret).verify(body, webhookHeaders([secret], 'msg_1', ts, body))).toEqual(JSON.parse(body));
  });

  it('when the spec example secret signs, then it matches the spec test vector', () => {
    // From the Standard Webhooks reference test suite.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = '{"test": 2432232314}';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, payload)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('when two secrets are active, then the header carries both signatures and each secret verifies alone', () => {
    const [a, b] = [generateSecret(), generateSecret()];
    const ts = now();
    const h = webhookHeaders([b, a], 'msg_2', ts, body);
    expect(h['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(a).verify(body, h)).not.toThrow();
    expect(() => new Webhook(b).verify(body, h)).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, h)).toThrow();
  });

  it('when the body, id or timestamp is changed, or the timestamp is stale, then verification fails', () => {
    const secret = generateSecret();
    const ts = now();
    const h = webhookHeaders([secret], 'msg_3', ts, body);
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace('c1', 'c2'), h)).toThrow();
    expect(() => wh.verify(body, { ...h, 'webhook-id': 'msg_4' })).toThrow();
    expect(() => wh.verify(body, { ...h, 'webhook-timestamp': String(ts + 1) })).toThrow();
    const old = ts - 6 * 60;
    expect(() => wh.verify(body, webhookHeaders([secret], 'msg_3', old, body))).toThrow(/too old/i);
    const future = ts + 6 * 60;
    expect(() => wh.verify(body, webhookHeaders([secret], 'msg_3', future, body))).toThrow(/too new/i);
  });
});
