import { fnv } from './features';
import type { LabeledDoc } from './datasets';

/**
 * Whether a document falls in the held-out part. It depends only on the text and the seed, so
 * `vigil train --holdout` and `vigil eval --holdout` agree without sharing any state, and
 * duplicated texts always land on the same side (no leak from train to test).
 */
export function isHeldOut(text: string, fraction: number, seed: number): boolean {
  if (fraction <= 0) return false;
  let h = fnv(text, 0, text.length, (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296 < fraction;
}

/** Splits documents into the training part and the held-out part. */
export function splitHoldout(docs: LabeledDoc[], fraction: number, seed: number): { train: LabeledDoc[]; test: LabeledDoc[] } {
  const train: LabeledDoc[] = [];
  const test: LabeledDoc[] = [];
  for (const d of docs) (isHeldOut(d.input.text, fraction, seed) ? test : train).push(d);
  return { train, test };
}
