import { bestMacroF1, metricsAt } from '../../../src/classifier/metrics';

describe('bestMacroF1', () => {
  it('when the scores separate the classes at some threshold, then it finds a threshold between them with macro-F1 1', () => {
    const best = bestMacroF1([0.1, 0.2, 0.3, 0.7, 0.8], [0, 0, 0, 1, 1]);
    expect(best.macroF1).toBe(1);
    expect(best.threshold).toBeGreaterThan(0.3);
    expect(best.threshold).toBeLessThanOrEqual(0.7);
  });

  it('when the classes overlap, then its figure is the macro-F1 at the threshold it names and no threshold does better', () => {
    const p = [0.1, 0.4, 0.35, 0.6, 0.2, 0.9, 0.55, 0.3];
    const y = [0, 1, 0, 0, 1, 1, 1, 0];
    const best = bestMacroF1(p, y);
    expect(best.macroF1).toBeCloseTo(metricsAt(p, y, best.threshold).macroF1, 12);
    for (let t = 0.05; t < 0.99; t += 0.05) expect(metricsAt(p, y, t).macroF1).toBeLessThanOrEqual(best.macroF1 + 1e-12);
    expect(best.macroF1).toBeLessThan(1);
  });
});
