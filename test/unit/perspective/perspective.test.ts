import { loadBundledModels, type Model } from '../../../src/classifier';
import { lookupAttribute, servedAttributes } from '../../../src/perspective/attributes';
import { primaryLanguage } from '../../../src/classifier/language/supported';
import { detectLanguages } from '../../../src/classifier/language/detect';

const models = loadBundledModels();

/** A toxicity model with the given heads, for what the attribute map reads from a loaded model. */
function withHeads(heads: string[]): { spam: Model; toxicity: Model } {
  return { spam: models.spam, toxicity: Object.defineProperty(Object.create(models.toxicity), 'headNames', { value: heads }) as Model };
}

describe('attributes', () => {
  it('when the toxicity model has a head, then its Perspective attribute is served from that head', () => {
    expect(lookupAttribute('PROFANITY', models)).toMatchObject({ kind: 'served', source: { model: 'toxicity', head: 'obscene' } });
    expect(lookupAttribute('IDENTITY_ATTACK', models)).toMatchObject({ kind: 'served', source: { head: 'identity_hate' } });
    expect(lookupAttribute('SPAM', models)).toMatchObject({ kind: 'served', source: { model: 'spam', head: 'score' } });
  });

  it('when the model lacks severe_toxic, then SEVERE_TOXICITY is unsupported; when it gains the head, then it is served', () => {
    expect(lookupAttribute('SEVERE_TOXICITY', withHeads(['score', 'toxic', 'obscene']))).toEqual({ kind: 'unsupported' });
    expect(lookupAttribute('SEVERE_TOXICITY', withHeads(['score', 'severe_toxic']))).toMatchObject({ kind: 'served', source: { head: 'severe_toxic' } });
    expect(servedAttributes(withHeads(['score']))).toEqual(['TOXICITY', 'SPAM']);
  });

  it('when a name was never a Perspective attribute, then it is unknown rather than unsupported', () => {
    expect(lookupAttribute('FLIRTATION', models)).toEqual({ kind: 'unsupported' });
    expect(lookupAttribute('toxicity', models)).toEqual({ kind: 'unknown' });
    expect(lookupAttribute('__proto__', models)).toEqual({ kind: 'unknown' });
  });
});

describe('languages', () => {
  it('when a tag is BCP 47 or ISO 639-1, then its primary subtag is the language', () => {
    expect(primaryLanguage('en-US')).toBe('en');
    expect(primaryLanguage('FA')).toBe('fa');
    expect(primaryLanguage('pt_BR')).toBe('pt');
    expect(primaryLanguage('e')).toBeUndefined();
    expect(primaryLanguage('en-<x>')).toBeUndefined();
  });

  it('when a text is long, then detection reads only its beginning and stays fast', () => {
    expect(detectLanguages('This is clearly an English sentence about the news. ' + 'x'.repeat(100000))[0]).toBe('en');
    expect(detectLanguages('😀😀')).toEqual([]);
  });
});
