'use strict';
/*
 * The demo comment form: posts to Vigil with the dev site's public key and tells the reader, in one plain sentence,
 * what became of the comment. Missing or wrong fields get a message beside the field, checked here first so an empty
 * form never reaches Vigil, and mapped from Vigil's field errors for anything only the server can judge.
 */
(function () {
  /** The article's headline (the page's h1), cut to the API's 300 characters. */
  function articleTitle() {
    var h = document.querySelector('h1');
    return ((h && h.textContent) || 'Demo article').trim().slice(0, 300);
  }

  var form = document.getElementById('comment-form');
  var statusEl = document.getElementById('status');
  var submit = document.getElementById('submit');
  var renderedAt = new Date().toISOString();
  var apiBase = '';
  var siteKey = new URLSearchParams(location.search).get('siteKey');
  var captcha = null;
  var thread = null;
  var THREAD_ID = 'demo-article-66634';

  /** Reasons in a reader's words; codes not listed here are left out of the sentence rather than shown raw. */
  var REASON_WORDS = {
    spam: 'it looks like spam',
    possible_spam: 'it may be spam',
    toxic: 'it breaks the site\u2019s rules on insults and abuse',
    possibly_toxic: 'it may break the site\u2019s rules on insults and abuse',
    blocked_word: 'it contains a word this site does not allow',
    blocked_domain: 'it links to a site this site does not allow',
    blocked_email: 'this e-mail address may not comment here',
    blocked_ip: 'comments from your network are blocked here',
    honeypot: 'the form was filled in the way spam robots fill it',
    too_fast: 'it was sent very quickly after the page opened',
    duplicate_body: 'the same text was posted here recently',
    author_often_rejected: 'earlier comments from this address were often not published',
  };

  var FIELD_WORDS = {
    name: { missing: 'Please enter your name.', invalid: 'Please enter a shorter name.' },
    email: { missing: 'Please enter your e-mail address.', invalid: 'Please enter an e-mail address such as name@example.com.' },
    body: { missing: 'Please write your comment.', invalid: 'Your comment is too long.' },
    captcha: { missing: 'Please type the characters shown in the picture.', invalid: 'That did not match the picture; try the new one.' },
  };
  // Vigil's field paths (see docs/api.md) to the form's fields.
  var PATHS = { 'author.name': 'name', 'author.email': 'email', body: 'body', captcha: 'captcha', 'captcha.answer': 'captcha', 'captcha.id': 'captcha' };

  function say(text, kind) {
    statusEl.textContent = text;
    statusEl.className = kind || '';
  }

  function fieldParts(name) {
    if (name === 'captcha') {
      var c = captcha && captcha.field();
      return c ? { input: c.input, error: c.error } : null;
    }
    return { input: form.elements[name], error: document.getElementById('err-' + name) };
  }

  function markField(name, message) {
    var f = fieldParts(name);
    if (!f) return false;
    f.error.textContent = message;
    f.input.setAttribute('aria-invalid', 'true');
    return true;
  }

  function clearFields() {
    ['name', 'email', 'body', 'captcha'].forEach(function (name) {
      var f = fieldParts(name);
      if (!f) return;
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    });
  }

  /** The checks a browser can make on its own; returns the names of the fields in error, in form order. */
  function checkFields(data) {
    var bad = [];
    ['name', 'email', 'body'].forEach(function (name) {
      if (!String(data.get(name) || '').trim()) bad.push(name);
    });
    var email = String(data.get('email') || '').trim();
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) {
      markField('email', FIELD_WORDS.email.invalid);
      bad.push('email');
    }
    var c = captcha && captcha.field();
    if (c && !c.input.value.trim()) bad.push('captcha');
    bad.forEach(function (name) {
      var f = fieldParts(name);
      if (f && !f.error.textContent) markField(name, FIELD_WORDS[name].missing);
    });
    return bad;
  }

  function focusFirst(names) {
    var f = names.length && fieldParts(names[0]);
    if (f) f.input.focus();
  }

  /** One sentence a reader understands for each outcome. */
  function outcomeSentence(v) {
    if (v.status === 'approved') return 'Published.';
    if (v.status === 'pending') return 'Held for review: a moderator will look at it.';
    var words = v.reasons.map(function (r) { return REASON_WORDS[r]; }).filter(Boolean);
    return 'Not published: ' + (words.length ? words.join('; ') : 'it does not meet this site\u2019s comment rules') + '.';
  }

  function showVerdict(v, sentence) {
    var box = document.getElementById('verdict');
    box.hidden = false;
    box.className = v.status;
    document.getElementById('verdict-status').textContent = sentence;
    document.getElementById('verdict-code').textContent = v.status;
    document.getElementById('verdict-spam').textContent = v.scores.spam.toFixed(3);
    document.getElementById('verdict-toxicity').textContent = v.scores.toxicity.toFixed(3);
    document.getElementById('verdict-reasons').textContent = v.reasons.length ? v.reasons.join(', ') : 'none';
  }

  /** Puts Vigil's refusal beside the fields it names; returns true when every part of it found a field. */
  function showRefusal(p) {
    if (p.code === 'captcha_invalid' || p.code === 'captcha_expired') {
      // Only the picture has a field to mark; a proof of work that did not pass just starts again.
      if (markField('captcha', FIELD_WORDS.captcha.invalid)) say('The captcha answer is wrong; a new picture is shown.', 'error');
      else say('The background check did not pass; it has started again, so please send your comment once more.', 'error');
      return;
    }
    var named = [];
    var unplaced = false;
    (p.errors || []).forEach(function (e) {
      var name = PATHS[e.path];
      if (name && markField(name, FIELD_WORDS[name].invalid)) named.push(name);
      else unplaced = true;
    });
    if (named.length && !unplaced) {
      say('Please correct the marked fields.', 'error');
      focusFirst(named);
      return;
    }
    if (p.code === 'rate_limited') return say('You have posted several comments in a short time; please wait a minute and try again.', 'error');
    say('Your comment could not be sent; please try again in a moment.', 'error');
  }

  fetch('config.json')
    .then(function (r) { return r.json(); })
    .then(function (cfg) {
      siteKey = siteKey || cfg.siteKey;
      apiBase = cfg.apiBase || '';
      if (!siteKey) { say('No site key: start Vigil with DEV_BOOTSTRAP=true or open /demo/?siteKey=pk_...', 'error'); return; }
      thread = window.VigilThread.mount(document.getElementById('thread'), { apiBase: apiBase, siteKey: siteKey, threadId: THREAD_ID });
      thread.load();
      captcha = window.VigilCaptcha.mount(document.getElementById('captcha'), { apiBase: apiBase, siteKey: siteKey });
      // Nothing is fetched or solved for a reader who only reads; the first focus or keystroke in the form starts it.
      return captcha.startOnFirstUse(form);
    })
    .catch(function (e) { say('Could not load the captcha: ' + e.message, 'error'); });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (!captcha) return;
    var data = new FormData(form);
    // The last comment's verdict and messages must not stand beside this one's answer, which may be an error.
    document.getElementById('verdict').hidden = true;
    clearFields();
    var bad = checkFields(data);
    if (bad.length) {
      say('Please correct the marked fields.', 'error');
      focusFirst(bad);
      return;
    }
    submit.disabled = true;
    say('Sending…');
    captcha
      .answer()
      .then(function (answer) {
        return fetch(apiBase + '/v1/comments?explain=true', {
          method: 'POST',
          headers: { authorization: 'Bearer ' + siteKey, 'content-type': 'application/json' },
          body: JSON.stringify({
            threadId: THREAD_ID,
            // The article's headline, so moderators see what the thread is about (stored once per thread). No url:
            // a browser's url must be on the site's allowed origins, and the demo may be opened under another host.
            thread: { title: articleTitle() },
            author: { name: String(data.get('name') || ''), email: String(data.get('email') || '') },
            body: String(data.get('body') || ''),
            honeypot: String(data.get('website') || ''),
            renderedAt: renderedAt,
            captcha: answer,
          }),
        });
      })
      .then(function (r) {
        return r.json().then(function (p) { return { ok: r.ok, p: p }; });
      })
      .then(function (res) {
        if (!res.ok) {
          showRefusal(res.p);
          return captcha.refresh();
        }
        // A published comment shows in the thread at once, from what the reader typed; nothing else is shown there.
        if (res.p.status === 'approved' && thread) {
          thread.add({
            id: res.p.id, author: { name: String(data.get('name') || '').trim() }, body: String(data.get('body') || '').trim(),
            createdAt: new Date().toISOString(),
          });
        }
        var sentence = outcomeSentence(res.p);
        say(sentence, 'outcome ' + res.p.status);
        showVerdict(res.p, sentence);
        form.reset();
        return captcha.refresh();
      })
      .catch(function () { say('Your comment could not be sent: the connection to the site failed. Please try again.', 'error'); })
      .then(function () { submit.disabled = false; });
  });
})();
