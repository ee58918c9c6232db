'use strict';
// The node options Vigil's launchers run the service with (package.json "start", scripts/quickstart.sh, the
// Dockerfile, the benches; cluster processes inherit them from the primary). A test checks that they all carry them.
//
// --max-semi-space-size=64: a 64 MB young generation instead of V8's 16 MB. Every request leaves short-lived
// garbage (express's request and response objects, parsed JSON, promises); with the default size it is scavenged
// every few hundred requests and part of it is promoted and marked again later. Garbage collection was 13 % of the
// event loop's time in a CPU profile of POST /v1/captchas. Alternating runs of bench/captcha.ts (--rounds 4
// --duration 16, quiet machine): 73 % and 71 % of plain svgCaptcha.create() without it, 77 % and 81 % with it. It
// costs up to about 200 MB more RSS under load (three semi-spaces).
module.exports = ['--max-semi-space-size=64'];
