'use strict';
/* The demo comment form: posts to Vigil with the dev site's public key and shows the verdict. */
(function () {
  var form = document.getElementById('comment-form');
  var statusEl = document.getElementById('status');
  var submit = document.getElementById('submit');
  var renderedAt = new Date().toISOString();
  var apiBase = '';
  var siteKey = new URLSearchParams(location.search).get('siteKey');
  var captcha = null;

  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.className = isError ? 'error' : '';
  }

  function showVerdict(v) {
    var box = document.getElementById('verdict');
    box.hidden = false;
    box.className = v.status;
    document.getElementById('verdict-status').textContent = v.status;
    document.getElementById('verdict-spam').textContent = v.scores.spam.toFixed(3);
    document.getElementById('verdict-toxicity').textContent = v.scores.toxicity.toFixed(3);
    document.getElementById('verdict-reasons').textContent = v.reasons.length ? v.reasons.join(', ') : 'none';
  }

  fetch('config.json')
    .then(function (r) { return r.json(); })
    .then(function (cfg) {
      siteKey = siteKey || cfg.siteKey;
      apiBase = cfg.apiBase || '';
      if (!siteKey) { say('No site key: start Vigil with DEV_BOOTSTRAP=true or open /demo/?siteKey=pk_...', true); return; }
      captcha = window.VigilCaptcha.mount(document.getElementById('captcha'), { apiBase: apiBase, siteKey: siteKey });
      return captcha.refresh();
    })
    .catch(function (e) { say('Could not load the captcha: ' + e.message, true); });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (!captcha) return;
    var data = new FormData(form);
    submit.disabled = true;
    // The last comment's verdict must not stand beside this one's answer, which may be an error.
    document.getElementById('verdict').hidden = true;
    say('Sending…');
    captcha
      .answer()
      .then(function (answer) {
        return fetch(apiBase + '/v1/comments?explain=true', {
          method: 'POST',
          headers: { authorization: 'Bearer ' + siteKey, 'content-type': 'application/json' },
          body: JSON.stringify({
            threadId: 'demo-article-66634',
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
          var fields = (res.p.errors || []).map(function (e) { return e.path + ' ' + e.message; }).join('; ');
          say((res.p.detail || 'Something went wrong') + (fields ? ' (' + fields + ')' : ''), true);
          return captcha.refresh();
        }
        say('Thank you, your comment was received.');
        showVerdict(res.p);
        form.reset();
        return captcha.refresh();
      })
      .catch(function (e) { say('Network error: ' + e.message, true); })
      .then(function () { submit.disabled = false; });
  });
})();
