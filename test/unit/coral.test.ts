import crypto from 'node:crypto';
import { coralSignature, coralSignatureValid } from '../../src/integrations/coral/signature';
import { htmlToText } from '../../src/integrations/coral/html-text';
import { commentText, coralResponseOf } from '../../src/integrations/coral/moderate';

describe('Coral signatures', () => {
  const secret = 'ems_' + 'ab'.repeat(32);
  const body = Buffer.from('{\n  "action": "NEW"\n}');

  it('when the header holds the HMAC of the exact body, then it is valid, in any position and either case', () => {
    const good = coralSignature(body, [secret]);
    expect(coralSignatureValid(good, body, Buffer.from(secret))).toBe(true);
    expect(coralSignatureValid(`${coralSignature(body, ['other-secret-0123456789'])}, ${good.toUpperCase().replace('SHA256', 'sha256')}`, body, Buffer.from(secret))).toBe(true);
  });

  it('when the body, the secret or the format differ, then it is not valid', () => {
    const good = coralSignature(body, [secret]);
    expect(coralSignatureValid(good, Buffer.concat([body, Buffer.from(' ')]), Buffer.from(secret))).toBe(false);
    expect(coralSignatureValid(good, body, Buffer.from(secret + 'x'))).toBe(false);
    expect(coralSignatureValid(good.replace('sha256=', ''), body, Buffer.from(secret))).toBe(false);
    expect(coralSignatureValid(undefined, body, Buffer.from(secret))).toBe(false);
    expect(coralSignatureValid(`sha256=${'0'.repeat(64)}`, body, Buffer.from(secret))).toBe(false);
  });

  it('matches what Coral computes: hex HMAC-SHA256 of the body with the secret as a UTF-8 key', () => {
    expect(coralSignature('x', ['k'])).toBe(`sha256=${crypto.createHmac('sha256', 'k').update('x').digest('hex')}`);
  });
});

describe('Coral comment text', () => {
  it("when Coral sends its HTML format, then tags go, block tags become line breaks and entities are decoded", () => {
    expect(htmlToText('<p>Hello &amp; welcome<br>to <b>the</b> <a href="https://x.example">site</a> &#39;ok&#x27;</p><blockquote>quoted</blockquote>'))
      .toBe("Hello & welcome\nto the site 'ok'\n\nquoted");
    expect(commentText('<p>a</p>')).toBe('a');
  });

  it('when plain text holds angle brackets, then it is left as it is', () => {
    expect(commentText('if a < b and c > d then &c')).toBe('if a < b and c > d then &c');
  });

  it('when hostile HTML is long, then conversion stays linear', () => {
    const t0 = process.hrtime.bigint();
    htmlToText('&'.repeat(60000) + '<'.repeat(60000) + '<p'.repeat(30000));
    commentText('<p ' + 'a'.repeat(60000));
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1000);
  });
});

describe("Coral's answer", () => {
  it.each([
    [{ status: 'approved', reasons: [] }, undefined],
    [{ status: 'approved', reasons: ['post_moderation'] }, undefined],
    [{ status: 'rejected', reasons: ['toxic'] }, { status: 'REJECTED', actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' }] }],
    [{ status: 'pending', reasons: ['possible_spam'] }, { status: 'SYSTEM_WITHHELD', actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_SPAM' }] }],
    [{ status: 'pending', reasons: ['possibly_toxic', 'duplicate_body'] }, { status: 'SYSTEM_WITHHELD', actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' }, { actionType: 'FLAG', reason: 'COMMENT_DETECTED_SPAM' }] }],
    [{ status: 'pending', reasons: ['pre_moderation'] }, { status: 'PREMOD' }],
  ] as const)('when Vigil decides %j, then Coral gets %j', (result, expected) => {
    expect(coralResponseOf({ status: result.status, reasons: [...result.reasons] })).toEqual(expected);
  });
});
