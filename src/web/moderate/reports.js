/*
 * Renders a comment's reader reports for the /moderate item view: VigilReports.render(box, answer) with the answer of
 * GET /v1/review/:commentId/reports. A summary line of counts by reason, then each report's reason, time and the
 * reader's words. Reports carry no reporter identity, and everything a reader wrote is set as text, never as HTML.
 * VigilReports.decide(apiBase, token, commentId, 'keep'|'remove', note?) posts the moderator's decision. Loaded by
 * /moderate, it also registers a panel of the item view (see panel below).
 */
(function (root) {
  'use strict';

  var WORDS = { offensive: 'Offensive or abusive', spam: 'Spam or advertising', off_topic: 'Off topic', other: 'Something else' };
  var ORDER = ['offensive', 'spam', 'off_topic', 'other'];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** "3 reports: 2 offensive or abusive, 1 spam or advertising" — reasons with none are left out. */
  function summary(a) {
    var n = a.reports.length;
    var parts = ORDER.filter(function (r) { return a.reasons[r] > 0; }).map(function (r) {
      return a.reasons[r] + ' ' + WORDS[r].toLowerCase();
    });
    return n === 0 ? 'No open reports.' : n + (n === 1 ? ' report: ' : ' reports: ') + parts.join(', ');
  }

  function render(box, a) {
    box.replaceChildren();
    box.appendChild(el('h2', 'reports-title', 'Reader reports'));
    box.appendChild(el('p', 'reports-summary', summary(a)));
    if (!a.reports.length) return;
    var list = el('ul', 'reports-list');
    a.reports.forEach(function (r) {
      var li = el('li', 'report');
      li.appendChild(el('strong', 'report-reason', WORDS[r.reason] || r.reason));
      li.appendChild(document.createTextNode(' '));
      var time = el('time', 'report-time', new Date(r.at).toLocaleString());
      time.dateTime = r.at;
      li.appendChild(time);
      if (r.text) li.appendChild(el('p', 'report-text', r.text));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function decide(apiBase, token, commentId, decision, note) {
    return fetch(apiBase + '/v1/review/' + encodeURIComponent(commentId) + '/reports/decision', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify(note ? { decision: decision, note: note } : { decision: decision }),
    }).then(function (r) {
      return r.json().then(function (p) {
        if (!r.ok) throw Object.assign(new Error(p.detail || 'decision failed'), { code: p.code });
        return p;
      });
    });
  }

  /** The last keep/remove, offered for undo on the next items drawn until its window ends. */
  var last = null;

  function undoBar(holder, ctx) {
    if (!last || Date.now() > last.until) return;
    var done = last;
    var bar = el('p', 'reports-undo');
    bar.appendChild(document.createTextNode(done.decision === 'remove' ? 'Comment removed. ' : 'Reports closed, comment kept. '));
    var btn = el('button', '', 'Undo');
    btn.type = 'button';
    btn.addEventListener('click', function () {
      ctx.api('POST', '/v1/review/' + encodeURIComponent(done.commentId) + '/reports/undo', { siteId: done.siteId }).then(function (res) {
        last = null;
        bar.textContent = res.status === 200 ? 'Undone.' : 'It is too late to undo that.';
        if (res.status === 200 && ctx.refresh) ctx.refresh();
      });
    });
    bar.appendChild(btn);
    holder.appendChild(bar);
  }

  /**
   * A panel of the item view (render.js calls every VigilPanels entry with the item's box, the item and the page's
   * context): the comment's open reports, with Keep and Remove, when it has any; and Undo for the last of those.
   */
  function panel(box, it, ctx) {
    if (!ctx || !ctx.api) return;
    var holder = el('section', 'reports-panel');
    holder.setAttribute('aria-label', 'Reader reports');
    box.appendChild(holder);
    undoBar(holder, ctx);
    var id = it.commentId;
    var q = it.siteId ? '?siteId=' + encodeURIComponent(it.siteId) : '';
    ctx.api('GET', '/v1/review/' + encodeURIComponent(id) + '/reports' + q).then(function (res) {
      // The moderator may have moved on, or signed out, while the reports were on their way.
      if (res.status !== 200 || !holder.isConnected || box.dataset.commentId !== id || !res.data.reports.length) return;
      var list = el('div', 'reports-body');
      render(list, res.data);
      var actions = el('div', 'reports-actions');
      var status = el('p', 'reports-status');
      status.setAttribute('role', 'status');
      [['keep', 'Keep: close the reports'], ['remove', 'Remove the comment']].forEach(function (d) {
        var b = el('button', 'reports-' + d[0], d[1]);
        b.type = 'button';
        b.addEventListener('click', function () {
          b.disabled = true;
          ctx.api('POST', '/v1/review/' + encodeURIComponent(id) + '/reports/decision', { decision: d[0], siteId: it.siteId }).then(function (r) {
            b.disabled = false;
            if (r.status !== 200) {
              status.textContent = r.data && r.data.code === 'not_reported' ? 'Another moderator has already decided these reports.' : (r.data && r.data.detail) || 'That did not work; try again.';
              return;
            }
            last = { commentId: id, siteId: it.siteId, decision: d[0], until: Date.now() + 1000 * (r.data.undoSeconds || 0) };
            status.textContent = d[0] === 'remove' ? 'Removed.' : 'Kept; the reports are closed.';
            if (ctx.refresh) ctx.refresh();
          });
        });
        actions.appendChild(b);
      });
      list.appendChild(actions);
      list.appendChild(status);
      holder.appendChild(list);
    });
  }

  root.VigilPanels = root.VigilPanels || [];
  root.VigilPanels.push(panel);
  root.VigilReports = { render: render, decide: decide, summary: summary, panel: panel };
})(self);
