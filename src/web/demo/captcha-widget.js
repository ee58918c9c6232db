'use strict';
/*
 * Vigil's captcha widget. mount(el, {apiBase, siteKey}) asks Vigil for a challenge in the site's mode (the answer of
 * POST /v1/captchas says which) and returns { answer(): Promise<{id, answer[, pow]}>, refresh(): Promise<void>,
 * startOnFirstUse(form): Promise<void> }. startOnFirstUse waits for the first focus or input in the comment form
 * before it fetches anything, so readers who only read the article cost the site and their own battery nothing; a
 * reader who starts writing has the proof of work done long before they have typed a comment (about a second at the
 * base level), and answer() fetches at once if the form was sent without ever being used.
 * - svg: the picture with a refresh button and a labelled text field.
 * - pow: no picture and nothing to type: the browser solves a proof-of-work challenge in the background (in a Web
 *   Worker from pow-worker.js next to this script, or in small chunks on the page when workers are unavailable), so
 *   typing is never held up; a status line tells people and screen readers what is happening, and a progress bar
 *   shows how far the work has gone.
 * - pow+svg: both; the comment carries the characters as `answer` and the proof of work as `pow`.
 */
(function () {
  var scriptBase = (document.currentScript && document.currentScript.src) || location.href;
  var workerUrl = new URL('pow-worker.js', scriptBase).href;

  /** Solves on the page in chunks, yielding between them so the page stays responsive; stops once job.cancelled. */
  function solveOnPage(salt, difficulty, onProgress, job) {
    return loadScript(workerUrl).then(function () {
      return new Promise(function (resolve) {
        var from = 0;
        (function step() {
          if (job.cancelled) return;
          var n = window.VigilPow.search(salt, difficulty, from, 4096);
          if (n >= 0) return resolve(n);
          from += 4096;
          onProgress(from);
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

  /**
   * Finds the proof of work; onProgress(tries so far) is called as the search goes on. `job.cancel()` stops a search
   * whose challenge was replaced, so that an old search never competes with the new one for the reader's CPU.
   */
  function solve(salt, difficulty, onProgress, job) {
    var worker;
    try {
      worker = new Worker(workerUrl);
    } catch (e) {
      return solveOnPage(salt, difficulty, onProgress, job);
    }
    job.cancel = function () { job.cancelled = true; worker.terminate(); };
    return new Promise(function (resolve, reject) {
      worker.onmessage = function (ev) {
        if (ev.data.tried !== undefined) return onProgress(ev.data.tried);
        worker.terminate();
        if (ev.data.error) reject(new Error(ev.data.error));
        else resolve(ev.data.n);
      };
      worker.onerror = function (ev) {
        ev.preventDefault();
        worker.terminate();
        solveOnPage(salt, difficulty, onProgress, job).then(resolve, reject);
      };
      worker.postMessage({ salt: salt, difficulty: difficulty });
    });
  }

  function mount(el, opts) {
    var current = null;
    var solution = null;
    el.textContent = '';
    // Shown once the first challenge says the site's mode (show()); until then there is nothing to see.
    el.hidden = true;

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

    var powWrap = document.createElement('div');
    powWrap.className = 'captcha-pow-wrap';
    // The status line is a live region and changes only when the state does; the bar carries the progress, so a
    // screen reader is not read a new percentage every tenth of a second.
    var powBox = document.createElement('p');
    powBox.className = 'captcha-pow';
    powBox.id = 'captcha-pow';
    powBox.setAttribute('role', 'status');
    powBox.setAttribute('aria-live', 'polite');
    var bar = document.createElement('progress');
    bar.id = 'captcha-pow-progress';
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Background check progress');
    powWrap.appendChild(powBox);
    powWrap.appendChild(bar);

    el.appendChild(imageBox);
    el.appendChild(powWrap);

    function show(mode) {
      var picture = mode === 'svg' || mode === 'pow+svg';
      imageBox.hidden = !picture;
      input.required = picture;
      powWrap.hidden = mode !== 'pow' && mode !== 'pow+svg';
      el.hidden = mode === 'off';
    }

    var job = null;

    function startSolving(c) {
      if (job) job.cancel();
      job = { cancelled: false, cancel: function () { this.cancelled = true; } };
      powBox.textContent = c.type === 'pow+svg'
        ? 'Also checking that you are a person, in the background; you can keep typing.'
        : 'Checking that you are a person, in the background; nothing to do, you can keep typing.';
      powBox.dataset.state = 'solving';
      bar.value = 0;
      bar.hidden = false;
      // The search is a lottery: after t tries, 1 - e^(-t / 2^difficulty) of challenges this hard are solved. That
      // share is the bar's value, so it moves quickly at first and never claims 100 % before the answer is found.
      var expected = Math.pow(2, c.pow.difficulty);
      var progress = function (tried) {
        if (current === c) bar.value = Math.min(99, Math.floor(100 * (1 - Math.exp(-tried / expected))));
      };
      solution = solve(c.pow.salt, c.pow.difficulty, progress, job).then(function (n) {
        if (current === c) {
          powBox.textContent = 'Check complete: you can post your comment.';
          powBox.dataset.state = 'solved';
          bar.value = 100;
          bar.hidden = true;
        }
        return String(n);
      });
      solution.catch(function () {
        if (current !== c) return;
        powBox.textContent = 'The background check failed; reload the page to try again.';
        powBox.dataset.state = 'failed';
        bar.hidden = true;
      });
    }

    var asked = 0;
    var started = null;
    function refresh() {
      // Only the latest request counts: a reader may switch to the alternative while a picture is still on its way.
      var mine = ++asked;
      input.value = '';
      started = fetch(opts.apiBase + '/v1/captchas' + (alternative ? '?alternative=pow' : ''), {
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
          if (c.type === 'svg' || c.type === 'pow+svg') img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(c.svg)));
          if (c.type === 'pow' || c.type === 'pow+svg') startSolving(c);
        })
        .catch(function (e) {
          // A failed first fetch is tried again by the next answer() rather than kept as the answer for good.
          if (mine === asked) started = null;
          throw e;
        });
      return started;
    }

    /** The first challenge, fetched once: by the first use of the form, by answer(), or by an earlier refresh(). */
    function start() {
      return started || refresh();
    }

    function startOnFirstUse(form) {
      return new Promise(function (resolve, reject) {
        function go() {
          form.removeEventListener('focusin', go);
          form.removeEventListener('input', go);
          start().then(resolve, reject);
        }
        form.addEventListener('focusin', go);
        form.addEventListener('input', go);
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
      startOnFirstUse: startOnFirstUse,
      /** The answer field and its message line while the picture is shown, so the form can say what is missing. */
      field: function () {
        return current && (current.type === 'svg' || current.type === 'pow+svg') ? { input: input, error: error } : null;
      },
      answer: function answer() {
        if (!current) return start().then(function () { if (!current) throw new Error('No captcha loaded yet'); return answer(); });
        if (current.type === 'off') return Promise.resolve(undefined);
        if (current.type === 'svg') return Promise.resolve({ id: current.id, answer: input.value.trim() });
        // A proof of work left open past its lifetime is replaced rather than sent to fail; with a picture the reader
        // has typed what the old one showed, so the answer goes as it is and Vigil says it expired.
        var ready = expired(current) && current.type === 'pow' ? refresh() : Promise.resolve();
        return ready.then(function () {
          var c = current;
          var typed = input.value.trim();
          return solution.then(function (n) {
            return c.type === 'pow+svg' ? { id: c.id, answer: typed, pow: n } : { id: c.id, answer: n };
          });
        });
      },
    };
  }
  window.VigilCaptcha = { mount: mount };
})();
