/*
 * The reader reports of the item on show (GET /v1/review/:id/reports): each report's reason,
 * words and time, never who sent it, with Keep and Remove (POST /v1/review/:id/reports/decision; the keys a and r do the same on the
 * Reported list). Drawn only for a comment that has open reports; text is set with textContent.
 */
(function (root) {
  'use strict';

  var REASON = { offensive: 'offensive', spam: 'spam', off_topic: 'off topic', other: 'other' };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function panel(box, item, ctx) {
    if (!ctx.api || (ctx.queue !== 'reported' && !item.reports)) return;
    var section = el('section', 'reports');
    section.setAttribute('aria-label', 'Reader reports');
    box.appendChild(section);
    ctx.api('GET', '/v1/review/' + encodeURIComponent(item.commentId) + '/reports?siteId=' + encodeURIComponent(item.siteId)).then(function (r) {
      // The item may have changed, or the moderator signed out, while the reports were on their way.
      if (!section.isConnected || r.status !== 200 || !r.data.reports) return;
      var reports = r.data.reports;
      if (!reports.length) return;
      section.appendChild(el('h3', '', reports.length + ' reader report' + (reports.length === 1 ? '' : 's')));
      var ul = el('ul', 'report-list');
      reports.forEach(function (rep) {
        var li = el('li', '', (REASON[rep.reason] || rep.reason) + ' · ' + new Date(rep.at).toLocaleString());
        if (rep.text) li.appendChild(el('q', '', rep.text));
        ul.appendChild(li);
      });
      section.appendChild(ul);
      if (ctx.queue !== 'reported') return;
      var keep = el('button', 'report-decision', 'Keep (close the reports)');
      var remove = el('button', 'report-decision', 'Remove (reject the comment)');
      keep.type = remove.type = 'button';
      keep.addEventListener('click', function () { ctx.decideReport('keep'); });
      remove.addEventListener('click', function () { ctx.decideReport('remove'); });
      var buttons = el('p', 'report-buttons');
      buttons.appendChild(keep);
      buttons.appendChild(remove);
      section.appendChild(buttons);
    });
  }

  root.VigilPanels = root.VigilPanels || [];
  root.VigilPanels.push(panel);
})(self);
