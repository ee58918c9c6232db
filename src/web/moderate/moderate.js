/*
 * The moderator's workspace. Everything a comment contains is put on the page with textContent or as text nodes,
 * never as HTML, and the page runs under a CSP that allows only this origin's scripts, so a comment cannot run code.
 */
(function () {
  'use strict';

  var HOLD = 3; // items claimed at once: enough to move between with j/k, few enough to leave work for others
  var TOKEN_KEY = 'vigil.moderatorToken';

  var $ = function (id) { return document.getElementById(id); };
  var state = { token: null, items: [], index: 0, undo: [], leaseMs: 0, lastActivity: Date.now(), filling: false, busy: false, stream: null };

  function say(msg) { $('status').textContent = msg; }

  async function api(method, path, body, opts) {
    var headers = { authorization: 'Bearer ' + state.token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    var res = await fetch(path, Object.assign({ method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' }, opts || {}));
    var data = null;
    if (res.status !== 204) {
      try { data = await res.json(); } catch (e) { data = null; }
    }
    if (res.status === 401) { signOut('Your token is no longer valid.'); }
    return { status: res.status, data: data };
  }

  // ---- sign in / out -------------------------------------------------------------------------------------------

  async function signIn(token) {
    state.token = token;
    var r = await api('GET', '/v1/review/counts');
    if (r.status !== 200) {
      state.token = null;
      $('signin-error').textContent = r.status === 401 ? 'That token is not valid.' : 'Vigil did not answer; try again.';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    var me = await api('GET', '/v1/review/me');
    if (me.status === 200) {
      $('who').textContent = me.data.name + (me.data.role === 'admin' ? ' (admin)' : '');
      $('board').hidden = me.data.role !== 'admin';
    }
    $('signin').hidden = true;
    $('workspace').hidden = false;
    $('signout').hidden = false;
    showCounts(r.data);
    listen();
    await fill();
    render();
  }

  /**
   * Newsroom machines are shared: signing out removes every trace of the last items from the page (body, author,
   * masked e-mail, history, queue, note) and closes the live stream, so the next person at the desk sees nothing.
   */
  function signOut(msg) {
    releaseAll();
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.items = [];
    state.index = 0;
    state.undo = [];
    state.leaseMs = 0;
    if (state.stream) state.stream.abort();
    state.stream = null;
    $('queue').replaceChildren();
    $('item').replaceChildren();
    delete $('item').dataset.commentId;
    $('status').textContent = '';
    $('note').value = '';
    $('block').checked = false;
    showLive(false);
    $('workspace').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    $('counts').textContent = '';
    $('who').textContent = '';
    $('board').hidden = true;
    $('signin-error').textContent = msg || '';
    $('token').value = '';
    $('token').focus();
  }

  function showLive(on) {
    $('live').textContent = on ? 'live' : 'offline';
    $('live').className = on ? 'live' : 'live off';
  }

  /** Hands held items back so other moderators get them at once rather than when the leases end. */
  function releaseAll() {
    if (!state.token) return;
    state.items.forEach(function (h) { release(state.token, h); });
  }

  function release(token, h) {
    fetch('/v1/review/' + encodeURIComponent(h.item.commentId) + '/release', {
      method: 'POST', keepalive: true,
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify({ siteId: h.item.siteId }),
    }).catch(function () {});
  }

  // ---- queue -----------------------------------------------------------------------------------------------------

  function showCounts(c) {
    $('counts').textContent = c.pending + ' pending · ' + c.waiting + ' waiting · ' + c.claimed + ' claimed';
  }

  async function refreshCounts() {
    var r = await api('GET', '/v1/review/counts');
    if (r.status === 200) showCounts(r.data);
  }

  async function fill() {
    if (state.filling) return;
    state.filling = true;
    try {
      while (state.token && state.items.length < HOLD) {
        var token = state.token;
        var r = await api('POST', '/v1/review/claim');
        if (r.status !== 200) break;
        // Signed out (or in as someone else) while the claim was on its way: hand it back rather than show it.
        if (state.token !== token) { release(token, r.data); break; }
        if (!state.leaseMs) state.leaseMs = Math.max(1000, Date.parse(r.data.leaseExpiresAt) - Date.now());
        state.items.push(r.data);
      }
    } finally {
      state.filling = false;
    }
    await refreshCounts();
  }

  /** Keeps the leases of held items alive while the moderator is at work; an idle tab lets them lapse. */
  function heartbeat() {
    if (!state.token || !state.leaseMs) return;
    if (Date.now() - state.lastActivity > state.leaseMs) return;
    state.items.forEach(function (h) {
      if (Date.parse(h.leaseExpiresAt) - Date.now() > state.leaseMs / 2) return;
      api('POST', '/v1/review/' + encodeURIComponent(h.item.commentId) + '/extend', { siteId: h.item.siteId }).then(function (r) {
        if (r.status === 200) h.leaseExpiresAt = r.data.leaseExpiresAt;
        else dropItem(h.item.commentId, 'Your lease on an item ended; it went back to the queue.');
      });
    });
  }

  function dropItem(commentId, msg) {
    var i = state.items.findIndex(function (h) { return h.item.commentId === commentId; });
    if (i < 0) return;
    state.items.splice(i, 1);
    if (state.index >= state.items.length) state.index = Math.max(0, state.items.length - 1);
    if (msg) say(msg);
    render();
  }

  // ---- decisions -------------------------------------------------------------------------------------------------

  var LABEL = { approve: 'Approved', reject: 'Rejected', spam: 'Marked as spam' };

  /**
   * One decision or undo at a time, so a key held down cannot decide the same item twice. Only the request itself is
   * guarded: the page shows the next item as soon as the answer arrives, and refilling happens behind it.
   */
  async function guarded(fn) {
    if (state.busy) return undefined;
    state.busy = true;
    try { return await fn(); } finally { state.busy = false; }
  }

  /** The note and block options apply to one decision, then reset. */
  function takeOptions(decision) {
    var body = { decision: decision };
    var note = $('note').value.trim();
    if (note) body.note = note;
    if ($('block').checked && decision !== 'approve') body.block = { email: true };
    $('note').value = '';
    $('block').checked = false;
    return body;
  }

  async function decide(decision) {
    var h = state.items[state.index];
    if (!h) return;
    var r = await guarded(function () {
      var body = Object.assign(takeOptions(decision), { siteId: h.item.siteId });
      return api('POST', '/v1/review/' + encodeURIComponent(h.item.commentId) + '/decision', body).then(function (res) {
        if (res.status === 200) {
          state.undo.push({ commentId: h.item.commentId, siteId: h.item.siteId });
          dropItem(h.item.commentId, LABEL[decision] + ' · press u to undo');
        } else {
          var code = res.data && res.data.code;
          dropItem(h.item.commentId, code === 'review_claimed' ? 'Your lease ended and someone else has that item now.' : 'Could not decide: ' + ((res.data && res.data.detail) || res.status));
        }
        return res;
      });
    });
    if (r) fill().then(render);
  }

  /** Decides every held item in one bulk request; each item succeeds or fails on its own. */
  async function decideAll(decision) {
    if (!state.items.length) return;
    var held = state.items.slice();
    var r = await guarded(function () {
      var body = takeOptions(decision);
      delete body.block;
      body.items = held.map(function (h) { return { commentId: h.item.commentId, siteId: h.item.siteId }; });
      return api('POST', '/v1/review/decisions', body);
    });
    if (!r || r.status !== 200) return void say('Could not decide the items.');
    var ok = 0;
    r.data.results.forEach(function (res, i) {
      if (res.status) { ok++; state.undo.push({ commentId: res.commentId, siteId: held[i].item.siteId }); }
      dropItem(res.commentId);
    });
    say(LABEL[decision] + ' ' + ok + ' of ' + held.length + ' items · u undoes them one by one');
    fill().then(render);
  }

  async function undo() {
    await guarded(async function () {
      var last = state.undo.pop();
      if (!last) return say('Nothing to undo.');
      var r = await api('POST', '/v1/review/' + encodeURIComponent(last.commentId) + '/undo', { siteId: last.siteId });
      if (r.status !== 200) return say(r.data && r.data.code === 'undo_expired' ? 'Too late to undo that one.' : 'Could not undo.');
      say('Undone; the item is back in the queue.');
      // An undone item goes to the front of the queue, so the next claim brings it straight back here.
      var back = await api('POST', '/v1/review/claim');
      if (back.status === 200) state.items.push(back.data);
      var i = state.items.findIndex(function (h) { return h.item.commentId === last.commentId; });
      if (i >= 0) state.index = i;
      render();
      refreshCounts();
    });
  }

  // ---- rendering -------------------------------------------------------------------------------------------------

  function render() {
    // Answers that arrive after sign-out must not paint an item back onto the page.
    if (!state.token) return;
    VigilRender.queue($('queue'), state.items, state.index);
    VigilRender.item($('item'), state.items[state.index]);
    // The article, parent, last comments and author actions (author-panel.js) draw inside the item's box.
    if (self.VigilAuthorPanel) {
      VigilAuthorPanel.render($('item'), state.items[state.index], {
        api: api, isCurrent: function (id) { return !!state.token && $('item').dataset.commentId === id; },
      });
    }
  }

  // ---- live events -----------------------------------------------------------------------------------------------

  /** Reads the event stream with fetch, so the token goes in a header (EventSource cannot send one). */
  async function listen() {
    if (state.stream) state.stream.abort();
    var ctl = new AbortController();
    state.stream = ctl;
    try {
      var res = await fetch('/v1/review/events', { headers: { authorization: 'Bearer ' + state.token }, signal: ctl.signal, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error('stream refused');
      if (state.stream !== ctl) return;
      showLive(true);
      // Events sent while the stream was down are gone; catch up once it is back.
      fill().then(render);
      var reader = res.body.getReader();
      var dec = new TextDecoder();
      var buf = '';
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buf += dec.decode(chunk.value, { stream: true });
        var parts = buf.split('\n\n');
        buf = parts.pop();
        parts.forEach(onEvent);
      }
    } catch (e) {
      if (ctl.signal.aborted) return;
    }
    if (state.stream === ctl) showLive(false);
    if (state.token && state.stream === ctl) setTimeout(function () { if (state.token && state.stream === ctl) listen(); }, 3000);
  }

  function onEvent(block) {
    var type = 'message';
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event: ') === 0) type = line.slice(7);
    });
    if (type === 'item' && state.items.length < HOLD) fill().then(render);
    else if (type === 'item' || type === 'decided' || type === 'undone') refreshCounts();
  }

  // ---- keyboard --------------------------------------------------------------------------------------------------

  document.addEventListener('keydown', function (ev) {
    state.lastActivity = Date.now();
    if (!state.token || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && t.id === 'note') {
      // Enter keeps the note for the next decision and hands the keys back; Escape drops it.
      if (ev.key === 'Enter' || ev.key === 'Escape') {
        if (ev.key === 'Escape') t.value = '';
        t.blur();
        ev.preventDefault();
      }
      return;
    }
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') && t.type !== 'checkbox') return;
    // Shift, not the letter's case, picks the bulk action, so Caps Lock cannot turn a decision into a bulk one.
    var k = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    var BULK = { a: 'approve', r: 'reject', s: 'spam' };
    if (ev.shiftKey) {
      if (!BULK[k]) return;
      decideAll(BULK[k]);
    }
    else if (k === 'j') { if (state.index < state.items.length - 1) state.index++; render(); }
    else if (k === 'n') $('note').focus();
    else if (k === 'b') $('block').checked = !$('block').checked;
    else if (k === 'k') { if (state.index > 0) state.index--; render(); }
    else if (k === 'a') decide('approve');
    else if (k === 'r') decide('reject');
    else if (k === 's') decide('spam');
    else if (k === 'u') undo();
    else return;
    ev.preventDefault();
  });
  document.addEventListener('pointerdown', function () { state.lastActivity = Date.now(); });

  $('signin').addEventListener('submit', function (ev) {
    ev.preventDefault();
    $('signin-error').textContent = '';
    signIn($('token').value.trim());
  });
  $('signout').addEventListener('click', function () { signOut(); });
  // Buttons and clicks do what the keys do, for moderators on a touch screen.
  document.querySelectorAll('[data-decision]').forEach(function (b) {
    b.addEventListener('click', function () { decide(b.getAttribute('data-decision')); });
  });
  $('undo').addEventListener('click', function () { undo(); });
  $('queue').addEventListener('click', function (ev) {
    var li = ev.target.closest('li');
    if (!li) return;
    var i = Array.prototype.indexOf.call($('queue').children, li);
    if (i >= 0) { state.index = i; render(); }
  });
  window.addEventListener('pagehide', releaseAll);
  setInterval(heartbeat, 1000);

  var saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
})();
