import fc from 'fast-check';
import { completeBody, prepareBatch, prepareCaptcha, unpackBatch } from '../../../src/captcha/prepared';

describe('prepared captchas', () => {
  it('when an image has characters JSON must escape, then the completed body is the JSON of the challenge', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.date({ min: new Date(0), max: new Date('9999-12-31'), noInvalidDate: true }), (svg, answer, at) => {
      const p = prepareCaptcha({ svg, answer }, 'id-1');
      const expiresAt = at.toISOString();
      expect(JSON.parse(completeBody(p, expiresAt).toString())).toEqual({ id: 'id-1', type: 'svg', svg, expiresAt });
      expect(p.answer).toBe(answer);
    }));
  });

  it('when the expiry is not a 24-character instant, then it is refused rather than corrupting the body', () => {
    const p = prepareCaptcha({ svg: '<svg/>', answer: 'abc' }, 'x');
    expect(() => completeBody(p, '+010000-01-01T00:00:00.000Z')).toThrow(/24-character/);
  });

  it('when a batch is drawn into one buffer, moved to another thread and unpacked, then every captcha comes back whole and in order', () => {
    const drawn = Array.from({ length: 20 }, (_, i) => ({ svg: `<svg>${'é"'.repeat(i)}</svg>`, answer: `a${i}` }));
    let next = 0;
    const packed = prepareBatch(drawn.length, () => drawn[next++]);
    const moved = structuredClone(packed, { transfer: [packed.bytes] });
    expect(packed.bytes.byteLength).toBe(0);
    const back = unpackBatch(moved);
    const expiresAt = new Date().toISOString();
    expect(back.map((p) => [p.answer, JSON.parse(completeBody(p, expiresAt).toString())])).toEqual(
      drawn.map((d, i) => [d.answer, { id: back[i].id, type: 'svg', svg: d.svg, expiresAt }]),
    );
    expect(new Set(back.map((p) => p.id)).size).toBe(drawn.length);
  });
});
