import { parentPort } from 'node:worker_threads';
import { renderCaptcha } from './render';

/** The render pool's thread: answers a count with that many freshly drawn captchas. */
parentPort!.on('message', (count: number) => {
  const out = [];
  for (let i = 0; i < count; i++) out.push(renderCaptcha());
  parentPort!.postMessage(out);
});
