'use strict';
// The node options Vigil's launchers run the service with (package.json "start", scripts/quickstart.sh, the
// Dockerfile, the benches; cluster processes inherit them from the primary). A test checks that they all carry them.
//
// --max-semi-space-size=64: a 64 MB young generation instead of V8's 16 MB. Every request leaves short-lived
// garbage (express's request and response objects, parsed JSON, promises); with the default size it is scavenged
// every few hundred requests and part of it is promoted and marked again later. Garbage collection was a large share
// of the event loop's time in CPU profiles of POST /v1/captchas, and alternating runs of bench/captcha.ts issued more
// captchas per second with the larger young generation. It costs more RSS under load (three semi-spaces of 64 MB).
module.exports = ['--max-semi-space-size=64'];
