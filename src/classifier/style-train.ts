import type { LabeledDoc } from './datasets';
import { fileVersion, type ModelFile } from './model-file';
import { withoutLinks } from './link-head';
import { trainModel, type TrainOptions } from './train';

export { withoutLinks };

/**
 * Trains the spam model with a style gate (style-gate.ts): the news expert on every document (as `trainModel`),
 * the short-message expert on the `short` sources only (YouTube, SMS), and the gate on every document labelled by
 * style (1: any source but the `short` ones), with its links taken out so it tells styles apart by their words, not by whether
 * they link (in the training data nearly every news comment links and most short messages do not).
 */
export function trainStyleGated(docs: LabeledDoc[], opts: TrainOptions, short: (source: string) => boolean, gateOpts: Partial<TrainOptions> = {}): ModelFile {
  const news = trainModel(docs, opts);
  const shortFile = trainModel(docs.filter((d) => short(d.source)), { ...opts, name: `${opts.name}-short` });
  const styled = docs.map((d): LabeledDoc => ({
    input: { text: withoutLinks(d.input.text), ...(d.input.author ? { author: d.input.author } : {}) },
    label: short(d.source) ? 0 : 1, task: d.task, source: d.source, natural: true,
  }));
  const gate = trainModel(styled, { ...opts, name: `${opts.name}-style`, meta: false, ...gateOpts });
  const style = {
    gate: { ...gate, training: { role: 'style gate: 1 = news or forum comment, 0 = short message (YouTube, SMS)', outOfFold: gate.training?.outOfFold } },
    short: shortFile,
    map: thresholdMap(shortFile.thresholds, news.thresholds),
  };
  return { ...news, formatVersion: fileVersion({ ...news, style }), style };
}

const logit = (p: number): number => Math.log(p / (1 - p));

/** The affine map of log-odds that takes thresholds `from` onto `to` (review onto review, reject onto reject). */
export function thresholdMap(from: { review: number; reject: number }, to: { review: number; reject: number }): [number, number] {
  const span = logit(from.reject) - logit(from.review);
  const a = span > 1e-6 ? (logit(to.reject) - logit(to.review)) / span : 1;
  const b = logit(to.review) - a * logit(from.review);
  return [Math.round(a * 1e4) / 1e4, Math.round(b * 1e4) / 1e4];
}

