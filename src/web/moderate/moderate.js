/*
 * The moderator's workspace: the review lists (Pending, Reported, Rejected, Approved), their search, one item at a
 * time, and decisions from the keyboard or with clicks. Everything a comment contains is put on the page with
 * textContent or as text nodes, never as HTML, and the page runs under a CSP that allows only this origin's scripts,
 * so a comment cannot run code.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'vigil.moderatorToken';
  var PAGE = 25;
  var QUEUES = ['pending', 'reported', 'rejected', 'approved'];
  var TITLES = { pending: 'Pending', reported: 'Reported', rejected: 'Rejected', approved: 'Approved (recent)' };
  var ORDERS = ['newest', 'oldest', 'score'];
  var FILTERS = ['text', 'article', 'author', 'reason', 'from', 'to'];

  var $ = function (id) { return document.getElementById(id); };
  var state;

  function fresh() {
    return {
      token: null, siteId: null, sites: [], queue: 'pending', order: 'newest', filters: {}, rows: [], index: 0,
      cursors: [], cursor: null, next: null, thresholds: null, checked: new Set(), item: null, held: null, seq: 0,
      undo: [], leaseMs: 0, lastActivity: Date.now(), busy: false, stream: null, counts: null,
    };
  }
  state = fresh();

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
  var enc = encodeURIComponent;

  // ---- sign in / out -------------------------------------------------------------------------------------------

  async function signIn(token) {
    state.token = token;
    var me = await api('GET', '/v1/review/me');
    if (me.status !== 200) {
      state.token = null;
      $('signin-error').textContent = me.status === 401 ? 'That token is not valid.' : 'Vigil did not answer; try again.';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('who').textContent = me.data.name + (me.data.role === 'admin' ? ' (admin)' : '');
    $('board').hidden = me.data.role !== 'admin';
    state.sites = me.data.siteIds;
    state.siteId = state.sites[0] || null;
    var pick = $('site');
    pick.replaceChildren();
    state.sites.forEach(function (s) { var o = document.createElement('option'); o.value = s; o.textContent = s; pick.appendChild(o); });
    $('site-pick').hidden = state.sites.length < 2;
    $('signin').hidden = true;
    $('workspace').hidden = false;
    $('signout').hidden = false;
    listen();
    await refreshCounts();
    await loadList(null);
  }

  /**
   * Newsroom machines are shared: signing out removes every trace of the last items from the page (list, body,
   * author, masked e-mail, history, search, note) and closes the live stream, so the next person sees nothing.
   */
  function signOut(msg) {
    if (state.held && state.token) release(state.token, state.held);
    sessionStorage.removeItem(TOKEN_KEY);
    if (state.stream) state.stream.abort();
    state = fresh();
    $('list').replaceChildren();
    $('list-summary').textContent = '';
    $('item').replaceChildren();
    delete $('item').dataset.commentId;
    $('status').textContent = '';
    $('note').value = '';
    $('block').checked = false;
    $('search').reset();
    $('site').replaceChildren();
    if ($('confirm').open) $('confirm').close();
    $('confirm-text').textContent = '';
    document.querySelectorAll('[data-count]').forEach(function (e) { e.textContent = ''; });
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

  function release(token, held) {
    fetch('/v1/review/' + enc(held.commentId) + '/release', {
      method: 'POST', keepalive: true,
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify({ siteId: held.siteId }),
    }).catch(function () {});
  }

  // ---- counts and lists ----------------------------------------------------------------------------------------

  async function refreshCounts() {
    if (!state.token) return;
    var r = await api('GET', '/v1/review/counts' + (state.siteId ? '?siteId=' + enc(state.siteId) : ''));
    if (r.status !== 200 || !state.token) return;
    state.counts = r.data;
    $('counts').textContent = r.data.pending + ' pending · ' + r.data.waiting + ' waiting · ' + r.data.claimed + ' claimed';
    var lists = r.data.lists || {};
    QUEUES.forEach(function (q) {
      var tab = document.querySelector('[data-queue="' + q + '"]');
      if (q in lists) tab.hidden = false;
      var n = document.querySelector('[data-count="' + q + '"]');
      n.textContent = q in lists ? '(' + lists[q] + ')' : '';
    });
  }

  function listPath(cursor) {
    var p = '/v1/review/list?queue=' + enc(state.queue) + '&order=' + enc(state.order) + '&limit=' + PAGE;
    if (state.siteId) p += '&siteId=' + enc(state.siteId);
    if (cursor) p += '&cursor=' + enc(cursor);
    FILTERS.forEach(function (f) { if (state.filters[f]) p += '&' + f + '=' + enc(state.filters[f]); });
    return p;
  }

  /** Loads a page of the current list; keeps the selection on the same comment when it is still there. */
  async function loadList(cursor, keep) {
    var token = state.token;
    var r = await api('GET', listPath(cursor));
    if (state.token !== token || !token) return;
    if (r.status !== 200) {
      state.rows = [];
      say(r.data && r.data.errors ? 'Search: ' + r.data.errors.map(function (e) { return e.path + ' ' + e.message; }).join('; ') : 'Could not load the list.');
      return render();
    }
    state.cursor = cursor;
    state.rows = r.data.items;
    state.next = r.data.next || null;
    state.thresholds = r.data.thresholds || state.thresholds;
    var at = keep ? state.rows.findIndex(function (row) { return row.commentId === keep; }) : -1;
    state.index = at >= 0 ? at : Math.min(state.index, Math.max(0, state.rows.length - 1));
    if (!keep) state.index = 0;
    var filtered = FILTERS.some(function (f) { return state.filters[f]; });
    $('list-summary').textContent = (state.rows.length ? 'Items ' + (state.cursors.length * PAGE + 1) + '–' + (state.cursors.length * PAGE + state.rows.length) : 'No items') +
      (filtered ? ' matching the search' : '') + (r.data.partial ? ' so far (the search stopped at its limit; next page goes on)' : '') + ' · ' + state.order + ' first';
    $('prev').disabled = !state.cursors.length;
    $('next').disabled = !state.next;
    await select(state.index);
  }

  function switchQueue(q) {
    var tab = document.querySelector('[data-queue="' + q + '"]');
    if (!tab || tab.hidden) return;
    state.queue = q;
    state.cursors = [];
    state.checked.clear();
    document.querySelectorAll('[data-queue]').forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-queue') === q)); });
    $('list-title').textContent = TITLES[q];
    loadList(null);
  }

  function nextPage() {
    if (!state.next) return;
    state.cursors.push(state.cursor);
    loadList(state.next);
  }

  function prevPage() {
    if (!state.cursors.length) return;
    loadList(state.cursors.pop());
  }

  // ---- the item ------------------------------------------------------------------------------------------------

  /**
   * Shows row i. A pending item is claimed for one lease while it is shown (the item held before is handed back), so
   * two moderators never work on the same one; a decided item is only read.
   */
  async function select(i) {
    state.index = i;
    var row = state.rows[i];
    var seq = ++state.seq;
    state.item = row ? { item: row, full: false } : null;
    render();
    if (state.held && (!row || state.held.commentId !== row.commentId)) {
      release(state.token, state.held);
      state.held = null;
    }
    if (!row) return;
    var r;
    var token = state.token;
    if (state.queue === 'pending') {
      r = await api('POST', '/v1/review/' + enc(row.commentId) + '/claim', { siteId: row.siteId });
      if (seq !== state.seq || state.token !== token) {
        // Moved on (or signed out) while the claim was on its way: hand it back unless the same item is shown again.
        var shown = state.rows[state.index];
        if (r.status === 200 && !(state.token === token && shown && shown.commentId === row.commentId)) release(token, { commentId: row.commentId, siteId: row.siteId });
        return;
      }
      if (r.status === 200) {
        state.held = { commentId: row.commentId, siteId: row.siteId, leaseExpiresAt: r.data.leaseExpiresAt };
        if (!state.leaseMs) state.leaseMs = Math.max(1000, Date.parse(r.data.leaseExpiresAt) - Date.now());
        state.item = { item: r.data.item, full: true };
      } else if (r.data && r.data.code === 'review_claimed') {
        row.claimed = 'other';
        state.item = { item: row, full: false, notice: 'Another moderator is working on this item.' };
      } else if (r.data && r.data.code === 'already_decided') {
        state.item = { item: row, full: false, notice: 'This item was decided meanwhile.' };
      }
    } else {
      r = await api('GET', '/v1/review/' + enc(row.commentId) + '/item?siteId=' + enc(row.siteId));
      if (seq !== state.seq || !state.token) return;
      if (r.status === 200) state.item = { item: r.data.item, full: true };
    }
    render();
  }

  // ---- decisions -------------------------------------------------------------------------------------------------

  var LABEL = { approve: 'Approved', reject: 'Rejected', spam: 'Marked as spam' };

  /** One decision or undo at a time, so a key held down cannot decide the same item twice. */
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
    // On a decided list the decision revises the status the moderator saw.
    if (state.queue === 'approved' || state.queue === 'rejected') body.from = state.queue;
    return body;
  }

  /** Takes decided rows out of the list and shows the next one; loads the page again when it runs empty. */
  function dropRows(ids) {
    var current = state.rows[state.index];
    state.rows = state.rows.filter(function (r) { return ids.indexOf(r.commentId) < 0; });
    ids.forEach(function (id) { state.checked.delete(id); });
    if (state.held && ids.indexOf(state.held.commentId) >= 0) state.held = null;
    var at = current ? state.rows.findIndex(function (r) { return r.commentId === current.commentId; }) : -1;
    var i = at >= 0 ? at : Math.min(state.index, state.rows.length - 1);
    refreshCounts();
    if (!state.rows.length) return loadList(state.cursor);
    return select(Math.max(0, i));
  }

  /** On the Reported list: keep the comment (its reports close) or remove it (it is rejected). */
  async function decideReport(decision) {
    var row = state.rows[state.index];
    if (!row) return;
    var res = await guarded(function () {
      var body = { decision: decision, siteId: row.siteId };
      var note = $('note').value.trim();
      if (note) body.note = note;
      $('note').value = '';
      return api('POST', '/v1/review/' + enc(row.commentId) + '/reports/decision', body);
    });
    if (!res) return;
    if (res.status !== 200) return say('Could not decide: ' + ((res.data && res.data.detail) || res.status));
    state.undo.push([{ commentId: row.commentId, siteId: row.siteId, report: true }]);
    say((decision === 'keep' ? 'Kept; its reports are closed.' : 'Removed; the comment is rejected.') + ' · press u to undo');
    return dropRows([row.commentId]);
  }

  async function decide(decision) {
    var row = state.rows[state.index];
    if (!row) return;
    if (state.queue === 'reported') return decideReport(decision === 'approve' ? 'keep' : 'remove');
    var res = await guarded(function () {
      var body = Object.assign(takeOptions(decision), { siteId: row.siteId });
      return api('POST', '/v1/review/' + enc(row.commentId) + '/decision', body);
    });
    if (!res) return;
    if (res.status === 200) {
      state.undo.push([{ commentId: row.commentId, siteId: row.siteId }]);
      say(LABEL[decision] + ' · press u to undo');
      return dropRows([row.commentId]);
    }
    var code = res.data && res.data.code;
    say(code === 'review_claimed' ? 'Another moderator holds that item.' : code === 'already_decided' ? 'That item was decided meanwhile.' : 'Could not decide: ' + ((res.data && res.data.detail) || res.status));
    if (code === 'already_decided') dropRows([row.commentId]);
  }

  /** Asks before a bulk action: a modal dialog, Enter confirms and Esc cancels. */
  function confirmBulk(text) {
    return new Promise(function (resolve) {
      var dlg = $('confirm');
      $('confirm-text').textContent = text;
      var done = function (ok) {
        $('confirm-yes').onclick = null;
        $('confirm-no').onclick = null;
        dlg.onclose = null;
        if (dlg.open) dlg.close();
        resolve(ok);
      };
      $('confirm-yes').onclick = function () { done(true); };
      $('confirm-no').onclick = function () { done(false); };
      dlg.onclose = function () { done(false); };
      dlg.showModal();
      $('confirm-yes').focus();
    });
  }

  /** Decides the selected rows, or every row of the page when none is selected, after a confirmation; undoable. */
  async function decideMany(decision) {
    if (state.queue === 'reported' || !state.rows.length) return;
    var rows = state.rows.filter(function (r) { return state.checked.has(r.commentId); });
    if (!rows.length) rows = state.rows.slice();
    var what = rows.length === state.rows.length && !state.checked.size ? 'every item on this page (' + rows.length + ')' : rows.length + ' selected item' + (rows.length === 1 ? '' : 's');
    if (!(await confirmBulk(LABEL[decision] + ': ' + what + '?'))) return say('Nothing was decided.');
    var r = await guarded(function () {
      var body = takeOptions(decision);
      delete body.block;
      body.items = rows.map(function (row) { return { commentId: row.commentId, siteId: row.siteId }; });
      return api('POST', '/v1/review/decisions', body);
    });
    if (!r || r.status !== 200) return say('Could not decide the items.');
    var ok = r.data.results.filter(function (x) { return x.status; });
    state.undo.push(ok.map(function (x) { return { commentId: x.commentId, siteId: rows.find(function (row) { return row.commentId === x.commentId; }).siteId }; }));
    say(LABEL[decision] + ' ' + ok.length + ' of ' + rows.length + ' items · u undoes them all');
    await dropRows(ok.map(function (x) { return x.commentId; }));
  }

  async function undo() {
    await guarded(async function () {
      var last = state.undo.pop();
      if (!last) return say('Nothing to undo.');
      var back = 0;
      for (var i = 0; i < last.length; i++) {
        var r = await api('POST', '/v1/review/' + enc(last[i].commentId) + (last[i].report ? '/reports/undo' : '/undo'), { siteId: last[i].siteId });
        if (r.status === 200) back++;
      }
      say(back === last.length ? 'Undone; ' + (back === 1 ? 'the item is' : back + ' items are') + ' back.' : 'Undid ' + back + ' of ' + last.length + '; too late for the rest.');
      await refreshCounts();
      await loadList(state.cursor, last[0].commentId);
    });
  }

  /** Gives the shown pending item back to the queue without deciding it, and moves on. */
  function handBack() {
    var row = state.rows[state.index];
    if (!row || state.queue !== 'pending' || !state.held || state.held.commentId !== row.commentId) return say('You hold no item to hand back.');
    var held = state.held;
    state.held = null;
    return api('POST', '/v1/review/' + enc(held.commentId) + '/release', { siteId: held.siteId }).then(function () {
      state.rows.splice(state.index, 1);
      say('Handed back; the item is in the queue for anyone.');
      if (!state.rows.length) return loadList(state.cursor);
      return select(Math.min(state.index, state.rows.length - 1));
    });
  }

  /** Keeps the lease of the shown item alive while the moderator is at work; an idle tab lets it lapse. */
  function heartbeat() {
    var h = state.held;
    if (!state.token || !h || !state.leaseMs) return;
    if (Date.now() - state.lastActivity > state.leaseMs) return;
    if (Date.parse(h.leaseExpiresAt) - Date.now() > state.leaseMs / 2) return;
    api('POST', '/v1/review/' + enc(h.commentId) + '/extend', { siteId: h.siteId }).then(function (r) {
      if (r.status === 200) h.leaseExpiresAt = r.data.leaseExpiresAt;
      else if (state.held === h) { state.held = null; say('Your lease on the item ended; it went back to the queue.'); }
    });
  }

  // ---- rendering -------------------------------------------------------------------------------------------------

  function render() {
    // Answers that arrive after sign-out must not paint an item back onto the page.
    if (!state.token) return;
    VigilRender.list($('list'), state.rows, state.index, state.checked, state.thresholds);
    var h = state.item;
    VigilRender.item($('item'), h, {
      thresholds: state.thresholds, queue: state.queue, notice: h && h.notice, api: api, decideReport: decideReport,
      emptyText: state.queue === 'pending' ? 'Nothing waiting. New comments appear here as they arrive.' : 'Nothing in this list.',
      refresh: function () { refreshCounts(); loadList(state.cursor); },
    });
    // The article, parent, last comments and author actions (author-panel.js) draw inside the item's box.
    if (self.VigilAuthorPanel && h && h.full) {
      VigilAuthorPanel.render($('item'), h, {
        api: api, isCurrent: function (id) { return !!state.token && $('item').dataset.commentId === id; },
      });
    }
    var cur = $('list').querySelector('.current');
    if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: 'nearest' });
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

  /** New items show at once on the first page of an unfiltered list; elsewhere only the counts move. */
  function onEvent(block) {
    var type = 'message';
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event: ') === 0) type = line.slice(7);
    });
    if (type === 'message' || !state.token) return;
    refreshCounts();
    var plain = !FILTERS.some(function (f) { return state.filters[f]; }) && !state.cursors.length;
    if (plain && (!state.rows.length || (type === 'item' && state.queue === 'pending' && state.order === 'newest') || (type === 'reported' && state.queue === 'reported'))) {
      var row = state.rows[state.index];
      loadList(null, row && row.commentId);
    }
  }

  // ---- keyboard --------------------------------------------------------------------------------------------------

  function move(delta) {
    var i = state.index + delta;
    if (i < 0 || i >= state.rows.length) return;
    select(i);
  }

  function toggleCheck() {
    var row = state.rows[state.index];
    if (!row) return;
    if (state.checked.has(row.commentId)) state.checked.delete(row.commentId);
    else state.checked.add(row.commentId);
    say(state.checked.size + ' selected; Shift+A, R or S decides them');
    render();
  }

  function cycleOrder() {
    state.order = ORDERS[(ORDERS.indexOf(state.order) + 1) % ORDERS.length];
    $('order').value = state.order;
    state.cursors = [];
    loadList(null);
  }

  document.addEventListener('keydown', function (ev) {
    state.lastActivity = Date.now();
    if (!state.token || ev.ctrlKey || ev.metaKey || ev.altKey || $('confirm').open) return;
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
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') && t.type !== 'checkbox') {
      // Escape leaves a search field and hands the keys back.
      if (ev.key === 'Escape') { t.blur(); ev.preventDefault(); }
      return;
    }
    // Shift, not the letter's case, picks the bulk action, so Caps Lock cannot turn a decision into a bulk one.
    var k = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    var BULK = { a: 'approve', r: 'reject', s: 'spam' };
    if (ev.shiftKey && BULK[k]) decideMany(BULK[k]);
    else if (ev.shiftKey && k.length === 1 && /[a-z]/.test(k)) return;
    else if (k === 'j' || k === 'ArrowDown') move(1);
    else if (k === 'k' || k === 'ArrowUp') move(-1);
    else if (k === 'Enter') { if (t && t.tagName === 'BUTTON') return; $('item').focus(); $('item').scrollIntoView({ block: 'start' }); }
    else if (k === 'a') decide('approve');
    else if (k === 'r') decide('reject');
    else if (k === 's') decide('spam');
    else if (k === 'u') undo();
    else if (k === 'h') handBack();
    else if (k === 'x') toggleCheck();
    else if (k === 'o') cycleOrder();
    else if (k === ']') nextPage();
    else if (k === '[') prevPage();
    else if (k === '/') $('f-text').focus();
    else if (k === 'n') $('note').focus();
    else if (k === 'b') $('block').checked = !$('block').checked;
    else if (k >= '1' && k <= '4') switchQueue(QUEUES[Number(k) - 1]);
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
  document.querySelectorAll('[data-queue]').forEach(function (b) {
    b.addEventListener('click', function () { switchQueue(b.getAttribute('data-queue')); });
  });
  $('undo').addEventListener('click', function () { undo(); });
  $('handback').addEventListener('click', function () { handBack(); });
  $('next').addEventListener('click', nextPage);
  $('prev').addEventListener('click', prevPage);
  $('list').addEventListener('click', function (ev) {
    var li = ev.target.closest('li');
    if (!li) return;
    var i = Array.prototype.indexOf.call($('list').children, li);
    if (i < 0) return;
    if (ev.target.type === 'checkbox') { state.index = i; return toggleCheck(); }
    select(i);
  });
  $('search').addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.filters = {};
    FILTERS.forEach(function (f) { var v = $('f-' + f).value.trim(); if (v) state.filters[f] = v; });
    state.order = $('order').value;
    state.cursors = [];
    document.activeElement.blur();
    loadList(null);
  });
  $('clear').addEventListener('click', function () {
    $('search').reset();
    state.filters = {};
    state.order = 'newest';
    state.cursors = [];
    loadList(null);
  });
  $('order').addEventListener('change', function () { state.order = $('order').value; state.cursors = []; loadList(null); });
  $('site').addEventListener('change', function () {
    state.siteId = $('site').value;
    state.cursors = [];
    refreshCounts();
    loadList(null);
  });
  $('item').tabIndex = -1;
  window.addEventListener('pagehide', function () { if (state.held && state.token) release(state.token, state.held); });
  setInterval(heartbeat, 1000);

  var saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
})();
