/*
 * The item's context (article, parent comment, the author's last comments) and the author panel (bans, suspensions,
 * trust, with their reasons, and the buttons to take or lift them). Like render.js, everything from a comment or a
 * moderator is set with textContent, and a link is made only of an http(s) URL, so nothing in them can run code.
 * moderate.js calls VigilAuthorPanel.render after it draws an item; the panel draws inside the item's box, so
 * signing out, which empties the box, takes the panel with it.
 */
(function (root) {
  'use strict';

  var ACTION_LABEL = { ban: 'banned', suspend: 'suspended', trust: 'trusted' };
  var SUBJECT_LABEL = { email: 'E-mail', ip: 'IP' };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** An anchor for an http(s) URL only; anything else is shown as text. */
  function link(url, text) {
    var u;
    try { u = new URL(url); } catch (e) { u = null; }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return el('span', '', text || url);
    var a = el('a', '', text || u.href);
    a.href = u.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleString();
  }

  /** The article and, for a reply, the comment it answers: above the body. */
  function context(it) {
    var box = el('section', 'context');
    box.setAttribute('aria-label', 'Context');
    var art = el('p', 'article');
    art.appendChild(el('span', 'label', 'Article: '));
    if (it.thread && (it.thread.title || it.thread.url)) {
      art.appendChild(it.thread.url ? link(it.thread.url, it.thread.title) : el('span', 'title', it.thread.title));
    } else {
      art.appendChild(el('span', 'thread-id', it.threadId));
    }
    box.appendChild(art);
    if (it.parent) {
      var q = el('blockquote', 'parent');
      q.appendChild(el('p', 'meta', 'In reply to ' + it.parent.author.name + ' · ' + it.parent.status + ' · ' + when(it.parent.createdAt)));
      q.appendChild(el('p', 'parent-body', it.parent.body + (it.parent.truncated ? '…' : '')));
      box.appendChild(q);
    } else if (it.parentId) {
      box.appendChild(el('p', 'meta', 'A reply to a comment Vigil no longer keeps.'));
    }
    return box;
  }

  function lastComments(a) {
    var sec = el('section', 'last-comments');
    sec.appendChild(el('h2', '', "Author's last comments"));
    var list = a.lastComments || [];
    if (!list.length) { sec.appendChild(el('p', 'meta', 'None on this site yet.')); return sec; }
    var ol = el('ol', '');
    list.forEach(function (c) {
      var li = el('li', '');
      li.appendChild(el('span', 'outcome ' + c.outcome, c.outcome.replace('_', ' ')));
      li.appendChild(el('span', 'meta', ' ' + when(c.at) + ' '));
      li.appendChild(el('span', 'text', c.body !== undefined ? c.body + (c.truncated ? '…' : '') : '(text expired)'));
      ol.appendChild(li);
    });
    sec.appendChild(ol);
    return sec;
  }

  /** What is in force, per identity, from the panel answer when there is one, else from the item. */
  function stateList(it, panel) {
    var ul = el('ul', 'author-state');
    ['email', 'ip'].forEach(function (s) {
      var p = panel && panel[s];
      var active = p ? p.active : it.author.actions && it.author.actions[s];
      if (active) {
        var text = SUBJECT_LABEL[s] + ' ' + ACTION_LABEL[active.action] + (active.until ? ' until ' + when(active.until) : '') +
          ' · “' + active.reason + '” · by ' + active.by.name + ', ' + when(active.at);
        ul.appendChild(el('li', 'state ' + active.action, text));
      }
      if (p && p.blockedByDecision) ul.appendChild(el('li', 'state ban', SUBJECT_LABEL[s] + ' blocked with a decision'));
    });
    if (!ul.children.length) ul.appendChild(el('li', 'state none', 'No ban, suspension or trust on this author.'));
    return ul;
  }

  function field(labelText, input) {
    var l = el('label', '');
    l.appendChild(document.createTextNode(labelText + ' '));
    l.appendChild(input);
    return l;
  }

  /**
   * Draws the context and the panel for the current item. `deps.api(method, path, body)` is moderate.js's
   * authenticated fetch; `deps.isCurrent(commentId)` says whether the page still shows that item (not after
   * sign-out or a move to another item), so a late answer never paints onto the wrong item.
   */
  /**
   * What the panel remembers of the item on the page (the panel answer, the moderator's half-typed reason, the last
   * message) across redraws: the page rebuilds the item, and may replace its data, whenever live events arrive. Only
   * the current item's is kept, and signing out forgets it.
   */
  var memo = null;
  function memoFor(commentId) {
    if (!memo || memo.commentId !== commentId) memo = { commentId: commentId };
    return memo;
  }
  document.addEventListener('click', function (ev) {
    if (ev.target && ev.target.closest && ev.target.closest('#signout')) memo = null;
  }, true);

  function render(box, h, deps) {
    if (!h || !box.querySelector('.body')) return;
    var it = h.item;
    var m = memoFor(it.commentId);
    box.insertBefore(context(it), box.querySelector('.body'));
    var author = box.querySelector('.author') || box;
    author.appendChild(lastComments(it.author));

    var sec = el('section', 'author-panel');
    sec.setAttribute('aria-label', 'Author actions');
    sec.appendChild(el('h2', '', 'Author actions'));
    var stateBox = el('div', 'author-state-box');
    stateBox.appendChild(stateList(it, m.panel));
    sec.appendChild(stateBox);

    var form = el('div', 'author-form');
    var email = el('input'); email.type = 'checkbox'; email.name = 'author-email'; email.checked = true;
    var ip = el('input'); ip.type = 'checkbox'; ip.name = 'author-ip';
    var reason = el('input'); reason.type = 'text'; reason.name = 'author-reason'; reason.maxLength = 500; reason.placeholder = 'shown to moderators, kept in the audit log';
    var days = el('input'); days.type = 'number'; days.name = 'author-days'; days.min = '1'; days.max = '365'; days.value = '7';
    var who = el('fieldset', 'who');
    who.appendChild(el('legend', '', 'Act on'));
    who.appendChild(field('e-mail', email));
    who.appendChild(field('IP', ip));
    form.appendChild(who);
    form.appendChild(field('Reason', reason));
    form.appendChild(field('Days (suspend)', days));
    var buttons = el('div', 'author-buttons');
    var verified = m.panel && m.panel.email ? m.panel.email.verified : undefined;
    [['ban', 'Ban'], ['suspend', 'Suspend'], ['trust', 'Trust'], ['lift', 'Lift']].forEach(function (b) {
      var btn = el('button', '', b[1]);
      btn.type = 'button';
      btn.setAttribute('data-author-action', b[0]);
      if (b[0] === 'trust' && verified === false) {
        btn.disabled = true;
        btn.title = 'Only a signed-in author (an e-mail the site vouched for) can be trusted.';
      }
      buttons.appendChild(btn);
    });
    form.appendChild(buttons);
    sec.appendChild(form);
    // The page redraws the item when live events arrive; what the moderator was typing survives the redraw.
    var draft = m.draft || {};
    if (draft.reason !== undefined) reason.value = draft.reason;
    if (draft.days !== undefined) days.value = draft.days;
    if (draft.email !== undefined) email.checked = draft.email;
    if (draft.ip !== undefined) ip.checked = draft.ip;
    form.addEventListener('input', function () {
      m.draft = { reason: reason.value, days: days.value, email: email.checked, ip: ip.checked };
    });
    var status = el('p', 'author-status', m.status || '');
    status.setAttribute('role', 'status');
    sec.appendChild(status);
    author.appendChild(sec);

    // Live events redraw the item while a request is out, so answers go to the panel on the page now, kept on the
    // item (h) for the next redraw; nothing is drawn once the page shows another item or nobody is signed in.
    function current(sel) { return deps.isCurrent(it.commentId) ? box.querySelector(sel) : null; }
    function say(msg) {
      m.status = msg;
      var s = current('.author-status');
      if (s) s.textContent = msg;
    }

    function refresh() {
      deps.api('GET', '/v1/review/' + encodeURIComponent(it.commentId) + '/author?siteId=' + encodeURIComponent(it.siteId)).then(function (r) {
        if (r.status !== 200 || !deps.isCurrent(it.commentId)) return;
        m.panel = r.data;
        it.author.actions = {};
        ['email', 'ip'].forEach(function (s) { if (r.data[s] && r.data[s].active) it.author.actions[s] = r.data[s].active; });
        var sb = current('.author-state-box');
        if (sb) sb.replaceChildren(stateList(it, r.data));
        var trust = current('[data-author-action=trust]');
        var v = r.data.email ? r.data.email.verified : false;
        if (trust) {
          trust.disabled = !v;
          trust.title = v ? '' : 'Only a signed-in author (an e-mail the site vouched for) can be trusted.';
        }
      });
    }

    buttons.addEventListener('click', function (ev) {
      var btn = ev.target.closest('[data-author-action]');
      if (!btn || btn.disabled) return;
      var action = btn.getAttribute('data-author-action');
      var body = { action: action, siteId: it.siteId };
      var r = reason.value.trim();
      if (r) body.reason = r;
      if (action !== 'trust') { body.email = email.checked; body.ip = ip.checked; }
      if (action === 'suspend') body.days = Number(days.value);
      if (action !== 'lift' && !r) { say('Write a reason first.'); reason.focus(); return; }
      btn.disabled = true;
      deps.api('POST', '/v1/review/' + encodeURIComponent(it.commentId) + '/author', body).then(function (res) {
        btn.disabled = false;
        if (!deps.isCurrent(it.commentId)) return;
        if (res.status === 201 || res.status === 200) {
          say(action === 'lift' ? 'Lifted.' : 'Author ' + ACTION_LABEL[action] + '.');
          var rf = current('[name=author-reason]');
          if (rf) rf.value = '';
          m.draft = undefined;
          refresh();
        } else {
          var d = res.data || {};
          var detail = d.errors && d.errors.length ? d.errors.map(function (e) { return e.path + ': ' + e.message; }).join('; ') : d.detail;
          say('Could not do that: ' + (detail || res.status));
        }
      });
    });

    if (!m.panel) refresh();
  }

  root.VigilAuthorPanel = { render: render };
})(self);
