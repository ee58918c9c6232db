import path from 'node:path';
import { layoutFor } from '../../../src/classifier/doc';
import { decodeCounts, decodeWeights, encodeSparse, readModelFile, type ModelFile } from '../../../src/classifier/model-file';
import { inputOf, ratio } from '../../../src/classifier/naive-bayes';
import { attributeRow, buildScoringTable } from '../../../src/classifier/scoring-table';
import { encodeVarints, decodeVarints } from '../../../src/classifier/varint';

const MODELS = path.resolve(__dirname, '../../../models');

/** What a head's weight for its i-th stored bucket must be, computed the slow way from the decoded counts. */
function expectedWeights(file: ModelFile, name: string): Map<number, number> {
  const h = file.heads[name];
  const l = layoutFor(file.features);
  const c = decodeCounts(h);
  const learned = decodeWeights(h);
  const out = new Map<number, number>();
  for (let i = 0; i < c.index.length; i++) {
    const f = c.index[i];
    let g = 0;
    while (g + 1 < l.offset.length && f >= l.offset[g + 1]) g++;
    const { r, cls } = ratio(c.neg[i], c.pos[i], { alpha: h.alpha, vocab: h.vocab, total: h.total, edges: file.confidenceEdges });
    out.set(f, h.calibration.weights[inputOf(g, cls, file.confidenceEdges)] * r * (learned ? learned[i] : 1));
  }
  return out;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

describe('buildScoringTable', () => {
  // spam.json stores counts scaled by 10 (weighted sources) and confidence edges; toxicity.json has attribute heads.
  it.each(['spam', 'toxicity'])('when %s.json is loaded, then every stored bucket weighs its ratio times its calibration and learned weights', (n) => {
    const file = readModelFile(path.join(MODELS, `${n}.json`));
    const l = layoutFor(file.features);
    const t = buildScoringTable(file, l);
    const meta = new Set<number>();
    if (file.meta && file.metaPriors) for (let f = l.offset[3]; f < l.size; f++) meta.add(f);
    let checked = 0;
    for (const [f, v] of expectedWeights(file, 'score')) {
      if (meta.has(f)) continue;
      if (!close(t.q[f], v)) throw new Error(`score bucket ${f}: ${t.q[f]} != ${v}`);
      checked++;
    }
    for (const [a, name] of (t.attributes?.names ?? []).entries()) {
      const A = t.attributes!.names.length;
      for (const [f, v] of expectedWeights(file, name)) {
        const row = attributeRow(t.attributes!, f);
        if (row < 0 || !close(t.attributes!.values[row * A + a], v)) throw new Error(`${name} bucket ${f}: row ${row}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('when a head has no learned weights, then its buckets weigh as plain Naive Bayes', () => {
    const file = readModelFile(path.join(MODELS, 'toxicity-de.json'));
    const plain = structuredClone(file);
    delete plain.heads.score.weights;
    const t = buildScoringTable(plain, layoutFor(plain.features));
    for (const [f, v] of expectedWeights(plain, 'score')) if (!close(t.q[f], v)) throw new Error(`bucket ${f}: ${t.q[f]} != ${v}`);
  });

  it('when attribute heads store different buckets, then each bucket gets every head that stores it, at its own row', () => {
    const file = readModelFile(path.join(MODELS, 'toxicity-de.json'));
    const h = file.heads.score;
    const c = decodeCounts(h);
    const w = decodeWeights(h)!;
    // Every third bucket only, so the two attribute heads' lists differ and the table holds their union.
    const keep = [...c.index.keys()].filter((i) => i % 3 === 0);
    const some = { ...h, ...encodeSparse(keep.map((i) => c.index[i]), keep.map((i) => c.neg[i]), keep.map((i) => c.pos[i]), keep.map((i) => w[i])) };
    const two: ModelFile = { ...file, heads: { score: h, toxic: h, insult: some } };
    const t = buildScoringTable(two, layoutFor(two.features));
    expect(t.attributes!.names).toEqual(['toxic', 'insult']);
    for (const [a, name] of ['toxic', 'insult'].entries()) {
      for (const [f, v] of expectedWeights(two, name)) {
        const row = attributeRow(t.attributes!, f);
        if (row < 0 || !close(t.attributes!.values[row * 2 + a], v)) throw new Error(`${name} bucket ${f}: row ${row}`);
      }
    }
    // A bucket only the toxic head stores has no insult weight.
    expect(t.attributes!.values[attributeRow(t.attributes!, c.index[1]) * 2 + 1]).toBe(0);
  });

  describe('when a head is damaged, then loading fails and names the head', () => {
    const file = readModelFile(path.join(MODELS, 'toxicity-de.json'));
    const l = layoutFor(file.features);
    const h = file.heads.score;
    const damaged = (patch: Partial<typeof h>): ModelFile => ({ ...file, heads: { score: { ...h, ...patch } } });
    const neg = decodeVarints(h.neg, h.entries);
    const index = decodeVarints(h.index, h.entries);
    it.each([
      ['a count list ends early', { neg: encodeVarints(neg.subarray(0, h.entries - 1)) }],
      ['a count list is longer', { pos: encodeVarints([...decodeVarints(h.pos, h.entries), 1]) }],
      ['the learned weights end early', { weights: encodeVarints(decodeVarints(h.weights!, h.entries).subarray(1)) }],
      ['a bucket lies outside the feature space', { index: encodeVarints([...index.subarray(0, h.entries - 1), l.size]) }],
      ['the bucket list ends early', { index: encodeVarints(index.subarray(0, h.entries - 1)) }],
    ])('%s', (_what, patch) => {
      expect(() => buildScoringTable(damaged(patch), l)).toThrow(/head score/);
    });
  });
});
