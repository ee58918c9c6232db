'use strict';
/*
 * Vigil's captcha widget. mount(el, {apiBase, siteKey}) asks Vigil for a challenge in the site's mode and returns
 * { answer(): Promise<{id, answer}>, refresh(): Promise<void> }.
 * - svg: the picture with a refresh button and a labelled text field.
 * - pow: no picture and nothing to type: the browser solves a proof-of-work challenge in the background (in a Web
 *   Worker from pow-worker.js next to this script, or in small chunks on the page when workers are unavailable), and
 *   a status line tells people and screen readers what is happening.
 */
(function () {
  var scriptBase = (document.currentScript && document.currentScript.src) || location.href;
  var workerUrl = new URL('pow-worker.js', scriptBase).href;

  /** Solves on the page in chunks, yielding between them so the page stays responsive. */
  function solveOnPage(salt, difficulty) {
    return loadScript(workerUrl).then(function () {
      return new Promise(function (resolve) {
        var from = 0;
        (function step() {
          var n = window.VigilPow.search(salt, difficulty, from, 4096);
          if (n >= 0) return resolve(n);
          from += 4096;
          setTimeout(step, 0);
        })();
      });
    });
  }

  function loadScript(src) {
    if (window.VigilPow) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('could not load the proof-of-work solver')); };
      document.head.appendChild(s);
    });
  }

  function solve(salt, difficulty) {
    var worker;
    try {
      worker = new Worker(workerUrl);
    } catch (e) {
      return solveOnPage(salt, difficulty);
    }
    return new Promise(function (resolve, reject) {
      worker.onmessage = function (ev) {
        worker.terminate();
        if (ev.data.error) reject(new Error(ev.data.error));
        else resolve(ev.data.n);
      };
      worker.onerror = function (ev) {
        ev.preventDefault();
        worker.terminate();
        solveOnPage(salt, difficulty).then(resolve, reject);
      };
      worker.postMessage({ salt: salt, difficulty: difficulty });
    });
  }

  function mount(el, opts) {
    var current = null;
    var solution = null;
    el.textContent = '';
    el.hidden = false;

    var imageBox = document.createElement('div');
    var wrap = document.createElement('div');
    wrap.className = 'captcha-image';
    var img = document.createElement('img');
    img.alt = 'Captcha: type the characters shown in this picture';
    img.id = 'captcha-img';
    img.width = 200;
    img.height = 70;
    var refreshBtn = document.createElement('button');
    refreshBtn.type = 'button';
    refreshBtn.className = 'captcha-refresh';
    // The visible text is the whole accessible name, so speech-input users can say what they see.
    refreshBtn.textContent = 'Show a new image';
    wrap.appendChild(img);
    wrap.appendChild(refreshBtn);
    var label = document.createElement('label');
    label.textContent = 'Captcha Code ';
    var input = document.createElement('input');
    input.name = 'captcha';
    input.autocomplete = 'off';
    input.maxLength = 12;
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('spellcheck', 'false');
    var hint = document.createElement('p');
    hint.className = 'captcha-hint';
    hint.textContent = 'Letters and digits; upper or lower case does not matter.';
    hint.id = 'captcha-hint';
    // The accessible alternative on every site that shows an image: proof of work, nothing to read or type.
    var alternative = false;
    var altBtn = document.createElement('button');
    altBtn.type = 'button';
    altBtn.className = 'captcha-alt';
    altBtn.textContent = "Can't read the image? Verify without it";
    var error = document.createElement('p');
    error.className = 'field-error';
    error.id = 'err-captcha';
    input.setAttribute('aria-describedby', 'captcha-hint err-captcha');
    label.appendChild(input);
    imageBox.appendChild(wrap);
    imageBox.appendChild(label);
    imageBox.appendChild(hint);
    imageBox.appendChild(altBtn);
    imageBox.appendChild(error);

    var powBox = document.createElement('p');
    powBox.className = 'captcha-pow';
    powBox.id = 'captcha-pow';
    powBox.setAttribute('role', 'status');
    powBox.setAttribute('aria-live', 'polite');

    el.appendChild(imageBox);
    el.appendChild(powBox);

    function show(mode) {
      imageBox.hidden = mode !== 'svg';
      input.required = mode === 'svg';
      powBox.hidden = mode !== 'pow';
      el.hidden = mode === 'off';
    }

    function startSolving(c) {
      powBox.textContent = 'Checking that you are a person, in the background; nothing to do.';
      powBox.dataset.state = 'solving';
      solution = solve(c.pow.salt, c.pow.difficulty).then(function (n) {
        if (current === c) {
          powBox.textContent = 'Check complete: you can post your comment.';
          powBox.dataset.state = 'solved';
        }
        return String(n);
      });
      solution.catch(function () {
        powBox.textContent = 'The background check failed; reload the page to try again.';
        powBox.dataset.state = 'failed';
      });
    }

    var asked = 0;
    function refresh() {
      // Only the latest request counts: a reader may switch to the alternative while a picture is still on its way.
      var mine = ++asked;
      input.value = '';
      return fetch(opts.apiBase + '/v1/captchas' + (alternative ? '?alternative=pow' : ''), {
        method: 'POST',
        headers: { authorization: 'Bearer ' + opts.siteKey },
      })
        .then(function (r) {
          if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail || 'captcha unavailable'); });
          return r.json();
        })
        .then(function (c) {
          if (mine !== asked) return;
          current = c;
          show(c.type);
          if (c.type === 'svg') img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(c.svg)));
          if (c.type === 'pow') startSolving(c);
        });
    }
    refreshBtn.addEventListener('click', function () { refresh().catch(function () {}); });
    altBtn.addEventListener('click', function () {
      alternative = true;
      // The button disappears with the image, so focus goes to the line that says what happens now.
      powBox.tabIndex = -1;
      refresh().then(function () { powBox.focus(); }).catch(function () {});
    });

    function expired(c) {
      return c.expiresAt && Date.parse(c.expiresAt) - 5000 < Date.now();
    }

    return {
      refresh: refresh,
      /** The answer field and its message line while the picture is shown, so the form can say what is missing. */
      field: function () {
        return current && current.type === 'svg' ? { input: input, error: error } : null;
      },
      answer: function () {
        if (!current) return Promise.reject(new Error('No captcha loaded yet'));
        if (current.type === 'off') return Promise.resolve(undefined);
        if (current.type === 'svg') return Promise.resolve({ id: current.id, answer: input.value.trim() });
        // A challenge left open past its lifetime is replaced rather than sent to fail.
        var ready = expired(current) ? refresh() : Promise.resolve();
        return ready.then(function () {
          var c = current;
          return solution.then(function (n) { return { id: c.id, answer: n }; });
        });
      },
    };
  }
  window.VigilCaptcha = { mount: mount };
})();
