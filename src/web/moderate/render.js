/*
 * Renders review items. Every piece of a comment (body, names, reasons, URLs) is set with textContent or inserted as
 * a text node, never as HTML, so a comment cannot add markup or script to the page.
 */
(function (root) {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** Marks a model's words only when its score or a reason points at it. */
  function markedModels(it) {
    var out = [];
    var rs = it.reasons.join(' ');
    if (it.scores.spam >= 0.25 || /spam/.test(rs)) out.push('spam');
    if (it.scores.toxicity >= 0.25 || /toxic/.test(rs)) out.push('toxicity');
    return out.length ? out : ['spam', 'toxicity'];
  }

  /** The held items on the left, the current one marked. */
  function queue(q, items, index) {
    q.replaceChildren();
    items.forEach(function (h, i) {
      var li = el('li', i === index ? 'current' : '', h.item.body);
      if (i === index) li.setAttribute('aria-current', 'true');
      q.appendChild(li);
    });
  }

  /** One item: body with its highlighted words, scores, reasons and the author's history. */
  function item(box, h) {
    box.replaceChildren();
    if (!h) {
      delete box.dataset.commentId;
      box.appendChild(el('p', 'empty', 'Nothing waiting. New comments appear here as they arrive.'));
      return;
    }
    var it = h.item;
    box.dataset.commentId = it.commentId;
    box.appendChild(el('p', 'meta', 'Site ' + it.siteId + ' · thread ' + it.threadId + ' · ' + new Date(it.createdAt).toLocaleString() + ' · ' + it.status + ' · via ' + it.via));
    var body = el('div', 'body');
    body.id = 'body';
    VigilHighlight.segments(it.body, it.explanation, { models: markedModels(it) }).forEach(function (seg) {
      if (!seg.classes.length) { body.appendChild(document.createTextNode(seg.text)); return; }
      var mark = el('mark', seg.classes.join(' '), seg.text);
      mark.title = seg.tokens.join(', ');
      body.appendChild(mark);
    });
    box.appendChild(body);

    var scores = el('div', 'scores');
    [['spam', it.scores.spam], ['toxicity', it.scores.toxicity]].concat(
      Object.keys(it.scores.attributes || {}).filter(function (k) { return it.scores.attributes[k] >= 0.3; }).map(function (k) { return [k, it.scores.attributes[k]]; }),
    ).forEach(function (p) {
      scores.appendChild(el('span', '', p[0]));
      var m = el('meter');
      m.min = 0; m.max = 1; m.low = 0.5; m.high = 0.8; m.optimum = 0; m.value = p[1];
      scores.appendChild(m);
      scores.appendChild(el('span', '', Math.round(p[1] * 100) + '%'));
    });
    box.appendChild(scores);

    var reasons = el('ul', 'reasons');
    it.reasons.forEach(function (r) { reasons.appendChild(el('li', '', r)); });
    box.appendChild(reasons);

    var a = it.author;
    var hist = a.history;
    var author = el('div', 'author');
    author.appendChild(el('strong', '', a.name));
    author.appendChild(document.createTextNode(' ' + a.emailMasked + (a.url ? ' · ' + a.url : '')));
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
    box.appendChild(author);
  }


  root.VigilRender = { queue: queue, item: item };
})(self);
