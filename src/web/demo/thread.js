'use strict';
/*
 * The comments under an article, for readers: VigilThread.mount(el, {apiBase, siteKey, threadId}) lists the thread's
 * published comments (oldest first, replies indented under the comment they answer) from
 * GET /v1/threads/:threadId/published, with a "Report" button on each that opens a small reason picker and posts to
 * POST /v1/comments/:id/reports. Returns {add(comment)} to show a comment the reader just published at once.
 * Everything readers wrote is put in the page as text, never as HTML.
 */
(function () {
  /** Deeper replies line up with the fourth level, so a long chain never pushes the page sideways on a phone. */
  var MAX_DEPTH = 4;
  var REASONS = [
    ['offensive', 'Offensive or abusive'],
    ['spam', 'Spam or advertising'],
    ['off_topic', 'Off topic'],
    ['other', 'Something else'],
  ];
  var uid = 0;

  /** A random token this browser keeps, so that Vigil counts one report per reader per comment (see docs/api.md). */
  function readerToken() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    var fresh = btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, '-').replace(/\//g, '_');
    try {
      var kept = localStorage.getItem('vigil-reader');
      if (kept && /^[A-Za-z0-9_-]{16,64}$/.test(kept)) return kept;
      localStorage.setItem('vigil-reader', fresh);
    } catch (e) {
      // Storage blocked: the token lasts as long as the page.
    }
    return fresh;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function when(iso) {
    var d = new Date(iso);
    try {
      return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    } catch (e) {
      return d.toISOString();
    }
  }

  function mount(root, opts) {
    var comments = [];
    var ids = {};
    var next = null;
    var token = null;
    var list = root.querySelector('.thread-list');
    var empty = root.querySelector('.thread-empty');
    var more = root.querySelector('.thread-more');
    var problem = root.querySelector('.thread-problem');

    function api(path, init) {
      init = init || {};
      init.headers = Object.assign({ authorization: 'Bearer ' + opts.siteKey }, init.headers || {});
      return fetch(opts.apiBase + path, init).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (p) { return { ok: r.ok, status: r.status, p: p }; });
      });
    }

    function load() {
      var q = '?limit=50' + (next ? '&cursor=' + encodeURIComponent(next) : '');
      return api('/v1/threads/' + encodeURIComponent(opts.threadId) + '/published' + q).then(function (res) {
        if (!res.ok) throw new Error(res.p.detail || 'the comments could not be loaded');
        res.p.comments.forEach(keep);
        next = res.p.next || null;
        render();
      }).catch(function () {
        problem.textContent = 'The comments could not be loaded; please reload the page.';
        problem.hidden = false;
      });
    }

    function keep(c) {
      if (ids[c.id]) return;
      ids[c.id] = true;
      comments.push(c);
    }

    /** Replies under their parent when it is on the page; otherwise in time order at the top level. */
    function render() {
      var children = {};
      var top = [];
      comments.forEach(function (c) {
        if (c.parentId && ids[c.parentId] && c.parentId !== c.id) (children[c.parentId] = children[c.parentId] || []).push(c);
        else top.push(c);
      });
      list.textContent = '';
      var drawn = {};
      function draw(items, into, depth) {
        items.forEach(function (c) {
          if (drawn[c.id]) return;
          drawn[c.id] = true;
          var li = el('li', 'comment-item');
          li.appendChild(commentView(c));
          into.appendChild(li);
          var kids = children[c.id];
          if (!kids) return;
          if (depth >= MAX_DEPTH) return draw(kids, into, depth);
          var ol = el('ol', 'replies');
          ol.setAttribute('aria-label', 'Replies to ' + c.author.name);
          li.appendChild(ol);
          draw(kids, ol, depth + 1);
        });
      }
      draw(top, list, 1);
      empty.hidden = comments.length > 0;
      more.hidden = !next;
    }

    function commentView(c) {
      var art = el('article', 'comment');
      art.id = 'comment-' + c.id;
      var head = el('p', 'comment-meta');
      head.appendChild(el('strong', 'comment-author', c.author.name));
      head.appendChild(document.createTextNode(' '));
      var time = el('time', 'comment-time', when(c.createdAt));
      time.dateTime = c.createdAt;
      head.appendChild(time);
      art.appendChild(head);
      art.appendChild(el('p', 'comment-body', c.body));
      art.appendChild(reportControl(c));
      return art;
    }

    /** A disclosure: the Report button opens a reason picker below it; Cancel or Escape closes it. */
    function reportControl(c) {
      var box = el('div', 'report');
      var n = ++uid;
      var open = el('button', 'report-open');
      open.type = 'button';
      open.appendChild(document.createTextNode('Report'));
      // The visible word starts the accessible name, so speech-input users can say "Report".
      open.appendChild(el('span', 'visually-hidden', ' comment by ' + c.author.name));
      open.setAttribute('aria-expanded', 'false');
      open.setAttribute('aria-controls', 'report-form-' + n);
      var done = el('p', 'report-done');
      done.setAttribute('role', 'status');

      var form = el('form', 'report-form');
      form.id = 'report-form-' + n;
      form.hidden = true;
      form.noValidate = true;
      var fs = el('fieldset');
      fs.appendChild(el('legend', '', 'Why are you reporting this comment?'));
      REASONS.forEach(function (r, i) {
        var label = el('label', 'report-reason');
        var radio = el('input');
        radio.type = 'radio';
        radio.name = 'reason';
        radio.value = r[0];
        if (i === 0) radio.checked = true;
        label.appendChild(radio);
        label.appendChild(document.createTextNode(' ' + r[1]));
        fs.appendChild(label);
      });
      form.appendChild(fs);
      var textLabel = el('label', 'report-text-label', 'In a few words (needed for \u201cSomething else\u201d)');
      textLabel.htmlFor = 'report-text-' + n;
      var text = el('textarea', 'report-text');
      text.id = 'report-text-' + n;
      text.name = 'text';
      text.rows = 2;
      text.maxLength = 500;
      var err = el('p', 'field-error');
      err.id = 'report-err-' + n;
      text.setAttribute('aria-describedby', err.id);
      form.appendChild(textLabel);
      form.appendChild(text);
      form.appendChild(err);
      var send = el('button', 'report-send', 'Send report');
      send.type = 'submit';
      var cancel = el('button', 'report-cancel', 'Cancel');
      cancel.type = 'button';
      var actions = el('div', 'report-actions');
      actions.appendChild(send);
      actions.appendChild(cancel);
      form.appendChild(actions);
      var status = el('p', 'report-status');
      status.setAttribute('role', 'status');
      form.appendChild(status);

      function close() {
        form.hidden = true;
        open.setAttribute('aria-expanded', 'false');
        open.focus();
      }
      open.addEventListener('click', function () {
        var opening = form.hidden;
        form.hidden = !opening;
        open.setAttribute('aria-expanded', String(opening));
        if (opening) form.querySelector('input[name=reason]:checked').focus();
      });
      cancel.addEventListener('click', close);
      form.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape') close();
      });
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var reason = form.querySelector('input[name=reason]:checked').value;
        var words = text.value.trim();
        err.textContent = '';
        text.removeAttribute('aria-invalid');
        if (reason === 'other' && !words) {
          err.textContent = 'Please say in a few words what is wrong.';
          text.setAttribute('aria-invalid', 'true');
          text.focus();
          return;
        }
        token = token || readerToken();
        send.disabled = true;
        status.textContent = 'Sending your report\u2026';
        api('/v1/comments/' + encodeURIComponent(c.id) + '/reports', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(words ? { reason: reason, text: words, reader: token } : { reason: reason, reader: token }),
        }).then(function (res) {
          if (res.ok || res.p.code === 'already_reported') {
            done.textContent = res.ok
              ? 'Thank you: your report was sent and a moderator will look at this comment.'
              : 'You have already reported this comment; a moderator will look at it.';
            done.tabIndex = -1;
            box.replaceChild(done, open);
            form.remove();
            done.focus();
            return;
          }
          status.textContent = res.p.code === 'rate_limited'
            ? 'You have sent several reports in a short time; please try again later.'
            : res.p.code === 'not_found'
              ? 'This comment has been removed.'
              : 'Your report could not be sent; please try again in a moment.';
        }, function () {
          status.textContent = 'Your report could not be sent: the connection to the site failed.';
        }).then(function () { send.disabled = false; });
      });

      box.appendChild(open);
      box.appendChild(form);
      return box;
    }

    more.addEventListener('click', function () { load(); });
    return {
      load: load,
      /** Shows a comment the reader just published, at once, without reloading the thread. */
      add: function (c) {
        keep(c);
        render();
        var shown = document.getElementById('comment-' + c.id);
        if (shown) shown.classList.add('comment-new');
      },
    };
  }

  window.VigilThread = { mount: mount };
})();
