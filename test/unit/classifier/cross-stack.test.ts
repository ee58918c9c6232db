import { loadBundledModels } from '../../../src/classifier';
import { compileCross, crossLogit, fitCross } from '../../../src/classifier/cross-stack';
import { rocAuc } from '../../../src/classifier/metrics';
import { NaiveBayesModel } from '../../../src/classifier/model';
import type { ModelFile } from '../../../src/classifier/model-file';
import { mulberry32 } from '../../../src/classifier/random';

/** The bundled toxicity file with no cross stack on any head: every head's first-level log-odds. */
function firstLevel(): ModelFile {
  const file = structuredClone((loadBundledModels().toxicity as NaiveBayesModel).toFile());
  for (const h of Object.values(file.heads)) delete h.cross;
  return file;
}

describe('cross-stacked attribute heads', () => {
  it('when a head has a cross stack, then its log-odds are the weighted first-level log-odds of the heads it reads plus its cues', () => {
    const base = firstLevel();
    const crossed = structuredClone(base);
    crossed.heads.insult.cross = { bias: 0.5, heads: { obscene: 2, score: -1 }, cues: { 'id:group': [1, 0.25] } };
    const plain = new NaiveBayesModel(base);
    const m = new NaiveBayesModel(crossed);
    const names = plain.headNames;
    const at = (name: string, z: Float64Array): number => z[names.indexOf(name)];
    for (const text of ['you stupid idiot', 'all muslims are terrorists', 'thank you for the edit']) {
      const z = Float64Array.from(plain.logits(plain.featurize({ text })));
      const d = m.featurize({ text });
      const zc = m.logits(d);
      const cue = d.metaNames.includes('id:group') ? 1 + 0.25 * z[0] : 0;
      expect(at('insult', zc)).toBeCloseTo(0.5 + 2 * at('obscene', z) - z[0] + cue, 9);
      // The other heads, and the inputs the stack read, are untouched.
      for (const h of names.filter((n) => n !== 'insult')) expect(at(h, zc)).toBeCloseTo(at(h, z), 9);
    }
    expect(new NaiveBayesModel(crossed).score({ text: 'all muslims are terrorists' }).attributes!.insult).not.toBeCloseTo(
      plain.score({ text: 'all muslims are terrorists' }).attributes!.insult, 3,
    );
  });

  it('when a cross stack reads a head the file does not have, then loading names it', () => {
    const file = firstLevel();
    file.heads.insult.cross = { bias: 0, heads: { sarcasm: 1 }, cues: {} };
    expect(() => new NaiveBayesModel(file)).toThrow(/sarcasm/);
  });

  it('when an attribute needs two heads together, then the fitted stack weighs both and ranks better than its own head', () => {
    // Head "own" is a noisy view of the label; "other" carries evidence "own" lacks; the cue adds some in toxic comments.
    const rng = mulberry32(5);
    const zs: number[][] = [];
    const has: Array<(c: string) => boolean> = [];
    const ys: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const y = rng() < 0.2 ? 1 : 0;
      const cue = rng() < (y ? 0.6 : 0.2);
      const score = (y ? 2 : -1) + 2 * (rng() - 0.5);
      zs.push([score, (y ? 1 : 0) + 3 * (rng() - 0.5), (y ? 1 : 0) + 3 * (rng() - 0.5)]);
      has.push((c) => c === 'id:group' && cue);
      ys.push(y);
    }
    const heads = ['score', 'own', 'other'];
    const c = fitCross(heads, ['id:group'], zs, has, ys, ys.map(() => 1), []);
    expect(c.heads.own).toBeGreaterThan(0.3);
    expect(c.heads.other).toBeGreaterThan(0.3);
    // In a comment the main score calls toxic (log-odds 2), the cue counts for the attribute.
    expect(c.cues['id:group'][0] + 2 * c.cues['id:group'][1]).toBeGreaterThan(0);
    const stacked = zs.map((z, i) => crossLogit(c, heads, z, has[i]));
    expect(rocAuc(stacked, ys)).toBeGreaterThan(rocAuc(zs.map((z) => z[1]), ys) + 0.05);
    // Compiled for scoring, it gives the same log-odds as on the training side.
    const [compiled] = compileCross(heads, [undefined, c, undefined]);
    expect(compiled.h).toBe(1);
    expect(Array.from(compiled.w)).toEqual([c.heads.score, c.heads.own, c.heads.other]);
  });
});
