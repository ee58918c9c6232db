/*
 * Splits a comment body into plain and highlighted segments from the classifier's explanations
 * ({spam?: [{token, contribution, spans: [[start, end]]}], toxicity?: [...]}). It only computes offsets; the page turns
 * segments into text nodes, so nothing in a comment can ever become markup.
 */
(function (root) {
  'use strict';

  /**
   * Words that pushed a score up, strongest first: at most `limit`. Explanations from current models flag the
   * words to mark (`marked`, the model's span rule, chosen on SemEval-2021 Toxic Spans data: the same rule as
   * ?explain=true and the Perspective spanScores), and only those are marked. Older stored explanations have no
   * flag: then the words with at least a quarter of the strongest one's weight. Flagged words are all marked (the
   * rule decides, not `limit`).
   */
  function drivers(list, limit) {
    if (!Array.isArray(list)) return [];
    if (isFlagged(list)) {
      return list
        .filter(function (e) { return e && e.marked === true && typeof e.contribution === 'number' && Array.isArray(e.spans); })
        .sort(function (a, b) { return b.contribution - a.contribution; });
    }
    var up = list
      .filter(function (e) { return e && typeof e.contribution === 'number' && e.contribution > 0 && Array.isArray(e.spans); })
      .sort(function (a, b) { return b.contribution - a.contribution; });
    if (!up.length) return [];
    var floor = up[0].contribution / 4;
    return up.filter(function (e) { return e.contribution >= floor; }).slice(0, limit);
  }

  function isFlagged(list) {
    return Array.isArray(list) && list.some(function (e) { return e && typeof e.marked === 'boolean'; });
  }

  /**
   * Joins marks of flagged words that have only spaces between them into one run, spaces included ("stupid idiot"),
   * as src/classifier/marked-runs.ts does for ?explain=true readers and the Perspective spanScores.
   */
  function joinRuns(text, marks) {
    marks.sort(function (a, b) { return a.start - b.start; });
    var out = [];
    for (var i = 0; i < marks.length; i++) {
      var k = marks[i];
      var last = out[out.length - 1];
      if (last && (k.start <= last.end || /^ +$/.test(text.slice(last.end, k.start)))) {
        last.end = Math.max(last.end, k.end);
        if (last.token.split(' ').indexOf(k.token) < 0) last.token += ' ' + k.token;
      } else {
        out.push({ start: k.start, end: k.end, cls: k.cls, token: k.token });
      }
    }
    return out;
  }

  /**
   * `opts.models` names the models whose words to mark (default both); the page passes only the models whose score
   * made the comment worth a look, since the words behind a 3% spam score explain nothing.
   */
  function segments(body, explanation, opts) {
    var text = String(body);
    var max = (opts && opts.limit) || 8;
    var only = opts && opts.models;
    var marks = [];
    var models = [['spam', 'hl-spam'], ['toxicity', 'hl-toxic']].filter(function (m) { return !only || only.indexOf(m[0]) >= 0; });
    for (var m = 0; m < models.length; m++) {
      var raw = explanation && explanation[models[m][0]];
      var list = drivers(raw, max);
      var own = [];
      for (var i = 0; i < list.length; i++) {
        for (var j = 0; j < list[i].spans.length; j++) {
          var s = list[i].spans[j];
          var start = Math.max(0, Math.min(text.length, Number(s[0]) | 0));
          var end = Math.max(start, Math.min(text.length, Number(s[1]) | 0));
          if (end > start) own.push({ start: start, end: end, cls: models[m][1], token: String(list[i].token) });
        }
      }
      marks = marks.concat(isFlagged(raw) ? joinRuns(text, own) : own);
    }
    // Cut the body at every mark boundary; each piece carries the classes of the marks covering it.
    var cuts = [0, text.length];
    marks.forEach(function (k) { cuts.push(k.start, k.end); });
    cuts = cuts.filter(function (v, idx, arr) { return arr.indexOf(v) === idx; }).sort(function (a, b) { return a - b; });
    var out = [];
    for (var c = 0; c + 1 < cuts.length; c++) {
      var a = cuts[c];
      var b = cuts[c + 1];
      var classes = [];
      var tokens = [];
      marks.forEach(function (k) {
        if (k.start <= a && k.end >= b) {
          if (classes.indexOf(k.cls) < 0) classes.push(k.cls);
          if (tokens.indexOf(k.token) < 0) tokens.push(k.token);
        }
      });
      out.push({ text: text.slice(a, b), classes: classes, tokens: tokens });
    }
    return out;
  }

  var api = { segments: segments };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.VigilHighlight = api;
})(typeof self !== 'undefined' ? self : this);
