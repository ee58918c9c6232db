/*
 * Renders a comment's reader reports for the /moderate item view: VigilReports.render(box, answer) with the answer of
 * GET /v1/review/:commentId/reports. A summary line of counts by reason, then each report's reason, time and the
 * reader's words. Reports carry no reporter identity, and everything a reader wrote is set as text, never as HTML.
 * VigilReports.decide(apiBase, token, commentId, 'keep'|'remove', note?) posts the moderator's decision.
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
    box.appendChild(el('h3', 'reports-title', 'Reader reports'));
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

  root.VigilReports = { render: render, decide: decide, summary: summary };
})(window);
