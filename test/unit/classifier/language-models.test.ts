import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabeledDoc } from '../../../src/classifier/datasets';
import { DEFAULT_FEATURES, layoutOf, scanFeatures, textFeatures } from '../../../src/classifier/features';
import { evalOnlyLanguageSource, loadToxicityDataset } from '../../../src/classifier/language-datasets';
import { trainLanguageModel } from '../../../src/classifier/language-train';
import { LanguageModels, toxicityModelFor } from '../../../src/classifier/language/toxicity-models';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { trainModel } from '../../../src/classifier/train';
import { tokenize } from '../../../src/classifier/tokenize';

const fixture = (f: string) => path.join(__dirname, '../../fixtures/languages', f);
const labels = (f: string) => loadToxicityDataset(fixture(f)).map((d) => [d.input.text, d.label, d.lang]);

describe('language data sets', () => {
  it('when each set is read, then its texts, binary labels and language follow its SOURCE.md mapping', () => {
    expect(labels('germeval2018.training.txt')).toEqual([
      ['@user Danke für den Bericht, sehr gut erklärt.', 0, 'de'],
      ['@user Du bist ein dummer Idiot.\nHalt den Mund!', 1, 'de'],
      ['@user Morgen regnet es wieder.', 0, 'de'],
    ]);
    expect(labels('GermEval21_TrainData.csv')).toEqual([['Danke, @MODERATOR, gute Sendung', 0, 'de'], ['Was für ein Vollidiot, unglaublich', 1, 'de']]);
    expect(labels('ptbr_train_1annotator.csv')).toEqual([
      ['obrigado pela notícia, muito boa', 0, 'pt'], ['cala a boca, seu idiota', 1, 'pt'], ['vai chover amanhã\nem são paulo', 0, 'pt'],
    ]);
    expect(labels('OffComBR2_train80.arff')).toEqual([
      ['Votaram nele agora aguentem seus idiotas', 1, 'pt'], ["O jogo de ontem foi muito bom, parabens ao time d'agua", 0, 'pt'],
    ]);
    // Offensive to a person or a group is toxic; non-offensive with expletives is not.
    expect(labels('training_set.tsv').map((r) => r[1])).toEqual([0, 1, 0, 1]);
    expect(labels('fr_dataset_train80.csv')).toEqual([['merci pour cet article très clair', 0, 'fr'], ['ferme ta gueule espèce de con', 1, 'fr']]);
    expect(labels('haspeede_FB-train_train80.tsv')).toEqual([['Grazie per l articolo', 0, 'it'], ['Siete tutti dei delinquenti', 1, 'it']]);
  });

  it('when a set has no licence to train on, then it is named as evaluation-only, and a licensed one is not', () => {
    for (const f of ['GermEval21_TrainData.csv', 'OffComBR2_train80.arff', 'haspeede_FB-train_train80.tsv']) expect(evalOnlyLanguageSource([fixture('germeval2018.training.txt'), fixture(f)])).toBe(fixture(f));
    expect(evalOnlyLanguageSource(['germeval2018.training.txt', 'ptbr_train_1annotator.csv', 'training_set.tsv', 'fr_dataset_train80.csv'].map(fixture))).toBeUndefined();
  });

  it('when a language model is trained on another language\'s data, then training refuses', () => {
    expect(() => trainLanguageModel('de', loadToxicityDataset(fixture('ptbr_train_1annotator.csv')))).toThrow(/not de data/);
  });
});

describe('stemming', () => {
  it('when a stemmer is on, then inflected forms share their unigram bucket but keep their own char n-grams', () => {
    const opt = { ...DEFAULT_FEATURES, stem: 'de' as const };
    const l = layoutOf(opt);
    const words = (t: string) => textFeatures(tokenize(t), opt, l).words;
    const [a] = words('Idioten');
    const [b] = words('Idiot');
    expect(a[1]).toBe(b[1]);
    expect(a.slice(2)).not.toEqual(b.slice(2));
    // Without the stemmer the two words are two unigrams.
    const plain = (t: string) => textFeatures(tokenize(t), DEFAULT_FEATURES, layoutOf(DEFAULT_FEATURES)).words[0][1];
    expect(plain('Idioten')).not.toBe(plain('Idiot'));
  });

  it('when features come from the text directly, then they equal those of its tokens under a stemmer too', () => {
    const opt = { ...DEFAULT_FEATURES, stem: 'pt' as const };
    const l = layoutOf(opt);
    const text = 'Cala a boca, seus idiotas! Idiota mesmo.';
    expect(scanFeatures(text, opt, l).text.words.map((w) => [...w])).toEqual(textFeatures(tokenize(text), opt, l).words.map((w) => [...w]));
  });
});

describe('word unigrams off', () => {
  it('when unigrams are off, then every word shares one unigram bucket and words differ only by their char n-grams', () => {
    const opt = { ...DEFAULT_FEATURES, unigrams: false };
    const l = layoutOf(opt);
    const [a, b] = textFeatures(tokenize('idiota burro'), opt, l).words;
    expect(a[1]).toBe(b[1]);
    expect(a.slice(2)).not.toEqual(b.slice(2));
    // The same text from the scanner, and with unigrams on the two words keep two unigram buckets.
    const text = 'idiota burro';
    expect(scanFeatures(text, opt, l).text.words.map((w) => [...w])).toEqual([a, b].map((w) => [...w]));
    const [c, d] = textFeatures(tokenize(text), DEFAULT_FEATURES, layoutOf(DEFAULT_FEATURES)).words;
    expect(c[1]).not.toBe(d[1]);
  });
});

describe('picking the toxicity model by language', () => {
  const de = (text: string, label: 0 | 1): LabeledDoc => ({ input: { text }, label, task: 'toxicity', source: 'de', natural: true, lang: 'de' });
  const german = [
    ...['Du bist ein dummer Idiot', 'Halt die Klappe, du Trottel', 'Was für ein Vollidiot', 'Ihr seid alle Idioten', 'Dumme Kuh, verschwinde'].map((t) => de(t, 1)),
    ...['Danke für den guten Bericht', 'Morgen regnet es wieder', 'Ein sehr interessanter Artikel', 'Die Sendung war gut', 'Ich stimme Ihnen zu'].map((t) => de(t, 0)),
  ];
  const english = new NaiveBayesModel(trainModel(
    [...['you idiot', 'shut up moron', 'stupid fool', 'you are dumb', 'idiot'].map((text) => ({ input: { text }, label: 1 as const, task: 'toxicity' as const, source: 'en', natural: true })),
      ...['thanks for the report', 'nice article', 'it rains', 'good show', 'I agree'].map((text) => ({ input: { text }, label: 0 as const, task: 'toxicity' as const, source: 'en', natural: true }))],
    { task: 'toxicity', name: 'en', folds: 3, minCount: 1 },
  ));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-lang-'));
  fs.writeFileSync(path.join(dir, 'toxicity-de.json'), JSON.stringify(trainLanguageModel('de', german, { folds: 3, minCount: 1 })));
  const models = { spam: english, toxicity: english, languages: new LanguageModels(dir) };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when a models folder holds toxicity-de.json, then German is listed and no file is read until a German comment', () => {
    const lm = new LanguageModels(dir);
    expect(lm.languages).toEqual(['de']);
    expect(lm.get('fr')).toBeUndefined();
    expect(lm.get('de')?.name).toBe('toxicity-de');
  });

  it('when a comment declares its language, then that language\'s model scores it, whatever the text looks like', () => {
    const picked = toxicityModelFor(models, 'de-AT', 'you idiot');
    expect(picked).toEqual({ model: models.languages.get('de'), language: 'de' });
    expect(toxicityModelFor(models, 'en', 'Du bist ein dummer Idiot').model).toBe(english);
  });

  it('when no language is declared, then the detected one picks the model, and English or an unknown language stays on the English model', () => {
    expect(toxicityModelFor(models, undefined, 'Du bist ein dummer Idiot, halt die Klappe und verschwinde endlich.').language).toBe('de');
    expect(toxicityModelFor(models, undefined, 'Du bist ein dummer Idiot, halt die Klappe und verschwinde endlich.').model).toBe(models.languages.get('de'));
    expect(toxicityModelFor(models, undefined, 'Thanks for the clear report on the council meeting.').model).toBe(english);
    expect(toxicityModelFor(models, undefined, 'Grazie mille per l\'articolo, molto interessante.').model).toBe(english);
  });

  it('when no language has a model of its own, then the English model scores without detecting the language', () => {
    expect(toxicityModelFor({ spam: english, toxicity: english }, undefined, 'Du bist ein dummer Idiot')).toEqual({ model: english });
  });
});
