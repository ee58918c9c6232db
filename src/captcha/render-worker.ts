import { parentPort } from 'node:worker_threads';
import { prepareBatch } from './prepared';

/** The render pool's thread: answers a count with that many fresh captchas, prepared and packed (see prepared.ts). */
parentPort!.on('message', (count: number) => {
  const packed = prepareBatch(count);
  parentPort!.postMessage(packed, [packed.bytes]);
});
