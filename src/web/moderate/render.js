/*
 * Renders the review list and one item. Every piece of a comment (body, names, reasons, URLs) is set with textContent
 * or inserted as a text node, never as HTML, so a comment cannot add markup or script to the page. Other panels (the
 * author's actions, a comment's reports, its context) register themselves in self.VigilPanels: each is called with
 * (container, item, context) after the item is drawn and adds its own elements to the container.
 */
(function (root) {
  'use strict';

  root.VigilPanels = root.VigilPanels || [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** Where a score stands against the site's thresholds: below review, review, or reject. */
  function band(value, t) {
    if (!t) return 'low';
    if (value >= t.reject) return 'reject';
    if (value >= t.review) return 'review';
    return 'low';
  }
  var BAND_TEXT = { low: 'below review', review: 'review', reject: 'reject' };

  /**
   * Marks a model's words only when its score reached the site's review threshold or a reason names it: the words
   * behind a score that decided nothing explain nothing.
   */
  function markedModels(it, thresholds) {
    var out = [];
    var rs = it.reasons.join(' ');
    var th = thresholds || {};
    if ((th.spam && it.scores.spam >= th.spam.review) || /spam/.test(rs)) out.push('spam');
    if ((th.toxicity && it.scores.toxicity >= th.toxicity.review) || /toxic|threat/.test(rs)) out.push('toxicity');
    return out;
  }

  function when(iso) {
    var d = new Date(iso);
    return d.toLocaleDateString() + ' ' + d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  /** The list: one row per comment, the current one marked, selected ones ticked. */
  function list(ol, rows, index, checked, thresholds) {
    ol.replaceChildren();
    rows.forEach(function (r, i) {
      var li = el('li', 'row' + (i === index ? ' current' : '') + (checked.has(r.commentId) ? ' checked' : ''));
      li.dataset.commentId = r.commentId;
      if (i === index) li.setAttribute('aria-current', 'true');
      var top = el('div', 'row-top');
      var box = el('input');
      box.type = 'checkbox';
      box.checked = checked.has(r.commentId);
      box.tabIndex = -1;
      box.setAttribute('aria-label', 'select for a bulk action');
      top.appendChild(box);
      top.appendChild(el('strong', 'row-author', r.author.name));
      var worst = Math.max(r.scores.spam, r.scores.toxicity);
      var model = r.scores.spam >= r.scores.toxicity ? 'spam' : 'toxicity';
      top.appendChild(el('span', 'score ' + band(worst, thresholds && thresholds[model]), Math.round(worst * 100) + '% ' + model));
      if (r.claimed === 'other') top.appendChild(el('span', 'held', 'held by another moderator'));
      if (r.reports) top.appendChild(el('span', 'held', r.reports + ' report' + (r.reports === 1 ? '' : 's')));
      li.appendChild(top);
      li.appendChild(el('p', 'row-body', r.body));
      li.appendChild(el('p', 'row-meta', when(r.createdAt) + ' · ' + r.threadId + ' · ' + r.reasons.join(', ')));
      if (r.reportReasons) {
        var said = Object.keys(r.reportReasons).filter(function (k) { return r.reportReasons[k] > 0; }).map(function (k) { return r.reportReasons[k] + ' ' + k.replace('_', ' '); });
        li.appendChild(el('p', 'row-meta', 'Reported: ' + said.join(', ')));
      }
      ol.appendChild(li);
    });
  }

  function meters(box, it, thresholds) {
    var th = thresholds || {};
    var scores = el('div', 'scores');
    var pairs = [['spam', it.scores.spam, th.spam], ['toxicity', it.scores.toxicity, th.toxicity]];
    // An attribute with thresholds of its own (threat) shows whenever it reached them: a threat in plain words can
    // be held at a low score, and the moderator should see the score that held it.
    Object.keys(it.scores.attributes || {}).forEach(function (k) {
      var v = it.scores.attributes[k];
      if (v >= 0.3 || (th[k] && v >= th[k].review)) pairs.push([k, v, th[k] || th.toxicity]);
    });
    pairs.forEach(function (p) {
      var b = band(p[1], p[2]);
      scores.appendChild(el('span', '', p[0]));
      var m = el('meter', 'meter-' + b);
      // The native meter colours by low/high/optimum: below `low` green, up to `high` amber, above it red; the
      // site's review and reject thresholds are those two edges.
      m.min = 0; m.max = 1; m.optimum = 0;
      if (p[2]) { m.low = p[2].review; m.high = p[2].reject; }
      m.value = p[1];
      m.dataset.band = b;
      m.setAttribute('aria-label', p[0] + ' ' + Math.round(p[1] * 100) + '%, ' + BAND_TEXT[b]);
      scores.appendChild(m);
      scores.appendChild(el('span', 'band ' + b, Math.round(p[1] * 100) + '% · ' + BAND_TEXT[b]));
    });
    box.appendChild(scores);
  }

  /** Least log-odds a signal adds to be listed: about what one ordinary link adds. */
  var SIGNAL_FLOOR = 0.5;

  /**
   * The spam signals behind the score besides its words, strongest first: "link to bit.ly (URL shortener)",
   * "cheap-watches.example seen from 14 authors in 10 minutes", "sent less than 3 s after the form was shown".
   */
  function signals(box, it) {
    var ex = it.explanation && it.explanation.spam;
    if (!Array.isArray(ex)) return;
    var shown = ex.filter(function (e) {
      // Metadata entries carry their meaning in words as `detail` (classifier/meta.ts, links-meta.ts).
      return e && typeof e.token === 'string' && e.token.indexOf('meta:') === 0 && e.contribution >= SIGNAL_FLOOR && e.detail;
    }).sort(function (a, b) { return b.contribution - a.contribution; }).slice(0, 6);
    if (!shown.length) return;
    var p = el('div', 'signals');
    p.appendChild(el('span', 'signals-label', 'Spam signals: '));
    var ul = el('ul', 'signals');
    ul.setAttribute('aria-label', 'spam signals');
    shown.forEach(function (e) { ul.appendChild(el('li', '', e.detail)); });
    p.appendChild(ul);
    box.appendChild(p);
  }

  /**
   * One item: body with the words that passed the span floor highlighted, scores against the site's thresholds,
   * reasons and the author's history (when the full item has arrived; a list row is drawn at once meanwhile).
   */
  function item(box, h, ctx) {
    box.replaceChildren();
    if (!h) {
      delete box.dataset.commentId;
      box.appendChild(el('p', 'empty', ctx && ctx.emptyText ? ctx.emptyText : 'Nothing here. New comments appear as they arrive.'));
      return;
    }
    var it = h.item;
    var thresholds = ctx && ctx.thresholds;
    box.dataset.commentId = it.commentId;
    if (ctx && ctx.notice) box.appendChild(el('p', 'notice', ctx.notice));
    box.appendChild(el('p', 'meta', when(it.createdAt) + ' · thread ' + it.threadId + ' · ' + it.status + (it.via ? ' · via ' + it.via : '')));
    var body = el('div', 'body');
    body.id = 'body';
    var models = markedModels(it, thresholds);
    var segs = it.explanation && models.length ? VigilHighlight.segments(it.body, it.explanation, { models: models }) : [{ text: it.body, classes: [], tokens: [] }];
    segs.forEach(function (seg) {
      if (!seg.classes.length) { body.appendChild(document.createTextNode(seg.text)); return; }
      var mark = el('mark', seg.classes.join(' '), seg.text);
      mark.title = seg.tokens.join(', ');
      body.appendChild(mark);
    });
    box.appendChild(body);
    meters(box, it, thresholds);

    var reasons = el('ul', 'reasons');
    reasons.setAttribute('aria-label', 'reasons');
    it.reasons.forEach(function (r) { reasons.appendChild(el('li', '', r)); });
    box.appendChild(reasons);
    signals(box, it);

    var a = it.author;
    var author = el('div', 'author');
    author.appendChild(el('strong', '', a.name));
    author.appendChild(document.createTextNode(' ' + a.emailMasked + (a.url ? ' · ' + a.url : '')));
    var hist = a.history;
    if (hist) {
      if (hist.standing) author.appendChild(el('span', 'standing ' + hist.standing, ' · ' + hist.standing));
      var c = hist.counts;
      author.appendChild(el('p', 'meta', 'Approved ' + (c.approved + c.auto_approved) + ' · rejected ' + (c.rejected + c.auto_rejected) + ' · spam ' + c.spam +
        ' · rejection rate ' + Math.round(hist.rejectionRate * 100) + '%'));
      if (hist.recent.length) {
        var ul = el('ul', 'history');
        hist.recent.slice(0, 5).forEach(function (e) {
          ul.appendChild(el('li', '', e.outcome.replace('_', ' ') + ' · ' + new Date(e.at).toLocaleDateString() + (e.by === 'vigil' ? ' (by Vigil)' : '')));
        });
        author.appendChild(ul);
      }
    }
    box.appendChild(author);
    if (h.full) root.VigilPanels.forEach(function (panel) {
      try { panel(box, it, ctx || {}); } catch (e) { /* a panel's failure must not take the item down */ }
    });
  }

  root.VigilRender = { list: list, item: item, band: band };
})(self);
