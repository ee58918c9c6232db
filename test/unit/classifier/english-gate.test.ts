import { looksEnglish } from '../../../src/classifier/language/english-gate';
import { loadBundledModels, toxicityModelFor } from '../../../src/classifier';

describe('the English gate before language detection', () => {
  it('when a comment starts with English function words, then it is English without running the detector', () => {
    expect(looksEnglish('Thanks for the thorough reporting on the council budget.')).toBe(true);
    expect(looksEnglish('I think you are wrong about this.')).toBe(true);
  });

  it('when a comment is German, Spanish, Portuguese or French, or has one English word only, then the detector decides', () => {
    for (const text of [
      'Danke für den Bericht, sehr gut erklärt. Die Zahlen stimmen.',
      'Gracias por el artículo, muy bien explicado y con datos.',
      'Obrigado pela reportagem, os números da escola foram úteis.',
      'Merci pour cet article, les chiffres sont très utiles.',
      'The Bürgermeister sollte zurücktreten.',
    ]) expect(looksEnglish(text)).toBe(false);
  });

  it('when the English words come only after the first 200 characters, then they are not read', () => {
    expect(looksEnglish(`${'Danke schön, sehr gut. '.repeat(10)} the and the`)).toBe(false);
  });

  it('when a German comment is scored without a declared language, then it still gets the German model', () => {
    const models = loadBundledModels();
    expect(models.languages.languages).toContain('de');
    expect(toxicityModelFor(models, undefined, 'Danke für den Bericht, sehr gut erklärt. Die Zahlen stimmen nicht.').language).toBe('de');
    expect(toxicityModelFor(models, undefined, 'Thanks for the report, the numbers do not add up.')).toMatchObject({ language: 'en', model: models.toxicity });
  });
});
