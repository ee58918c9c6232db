'use strict';
/*
 * Vigil's captcha widget. mount(el, {apiBase, siteKey}) asks Vigil for a challenge in the site's mode and returns
 * { answer(): Promise<{id, answer}>, refresh(): Promise<void> }. The image mode shows the picture with a refresh
 * button and a labelled text field.
 */
(function () {
  function mount(el, opts) {
    var current = null;
    el.textContent = '';
    var wrap = document.createElement('div');
    wrap.className = 'captcha-image';
    var img = document.createElement('img');
    img.alt = 'Captcha: type the characters shown in this picture';
    img.id = 'captcha-img';
    var refreshBtn = document.createElement('button');
    refreshBtn.type = 'button';
    refreshBtn.className = 'captcha-refresh';
    refreshBtn.textContent = 'New image';
    refreshBtn.setAttribute('aria-label', 'Show a new captcha image');
    wrap.appendChild(img);
    wrap.appendChild(refreshBtn);
    var label = document.createElement('label');
    label.textContent = 'Captcha Code ';
    var input = document.createElement('input');
    input.name = 'captcha';
    input.autocomplete = 'off';
    input.required = true;
    input.maxLength = 12;
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('spellcheck', 'false');
    label.appendChild(input);
    el.appendChild(wrap);
    el.appendChild(label);

    function refresh() {
      input.value = '';
      return fetch(opts.apiBase + '/v1/captchas', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + opts.siteKey },
      })
        .then(function (r) {
          if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail || 'captcha unavailable'); });
          return r.json();
        })
        .then(function (c) {
          current = c;
          if (c.type === 'off') { el.hidden = true; return; }
          img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(c.svg)));
        });
    }
    refreshBtn.addEventListener('click', function () { refresh().catch(function () {}); });

    return {
      refresh: refresh,
      answer: function () {
        if (!current) return Promise.reject(new Error('No captcha loaded yet'));
        return Promise.resolve({ id: current.id, answer: input.value.trim() });
      },
    };
  }
  window.VigilCaptcha = { mount: mount };
})();
