import { randomId } from './random';
import { renderCaptcha, RenderedCaptcha } from './render';

/**
 * A captcha ready to hand out: its id, its answer, and the JSON answer of POST /v1/captchas as bytes, with room for the
 * expiry, which is only known when it is issued. Made ahead of demand on the render thread, where the image is drawn,
 * so that the event loop neither serialises nor encodes four kilobytes of SVG per request, and a batch crosses from the
 * thread as one transferred buffer instead of a few hundred strings for the garbage collector to copy and mark.
 */
export interface PreparedCaptcha {
  id: string;
  answer: string;
  /** `{"id":…,"type":"svg","svg":…,"expiresAt":"<24 bytes>"}`; issue() writes the expiry into the gap. */
  body: Buffer;
}

/** An ISO-8601 instant as Date#toISOString writes it for years 0–9999: always 24 characters. */
const ISO_LENGTH = 24;
const TAIL = '"}';

export function prepareCaptcha(rendered: RenderedCaptcha = renderCaptcha(), id = randomId()): PreparedCaptcha {
  return { id, answer: rendered.answer, body: Buffer.from(bodyJson(id, rendered.svg)) };
}

function bodyJson(id: string, svg: string): string {
  return `{"id":"${id}","type":"svg","svg":${JSON.stringify(svg)},"expiresAt":"${' '.repeat(ISO_LENGTH)}${TAIL}`;
}

/** Writes the expiry into a prepared answer; the bytes are then the complete JSON body. Each captcha is issued once. */
export function completeBody(p: PreparedCaptcha, expiresAt: string): Buffer {
  if (expiresAt.length !== ISO_LENGTH) throw new Error(`expiry ${expiresAt} is not a 24-character ISO instant`);
  p.body.write(expiresAt, p.body.length - ISO_LENGTH - TAIL.length, 'latin1');
  return p.body;
}

/** A batch as it crosses between threads: the bodies back to back in one buffer, which is transferred, not copied. */
export interface PackedBatch {
  ids: string[];
  answers: string[];
  ends: number[];
  bytes: ArrayBuffer;
}

/**
 * Draws `count` captchas and packs them. The bodies are written straight into one buffer: a Buffer per body would
 * each take fresh memory (larger than node's 4 KB pooling limit), which cost the render thread a quarter of its time.
 */
export function prepareBatch(count: number, render: () => RenderedCaptcha = renderCaptcha): PackedBatch {
  const ids: string[] = [], answers: string[] = [], jsons: string[] = [], ends: number[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const rendered = render();
    const id = randomId();
    const json = bodyJson(id, rendered.svg);
    ids.push(id);
    answers.push(rendered.answer);
    jsons.push(json);
    total += Buffer.byteLength(json);
    ends.push(total);
  }
  const bytes = new ArrayBuffer(total);
  const buf = Buffer.from(bytes);
  for (let i = 0; i < count; i++) buf.write(jsons[i], i ? ends[i - 1] : 0);
  return { ids, answers, ends, bytes };
}

export function unpackBatch(packed: PackedBatch): PreparedCaptcha[] {
  const out: PreparedCaptcha[] = [];
  let start = 0;
  for (let i = 0; i < packed.ends.length; i++) {
    out.push({ id: packed.ids[i], answer: packed.answers[i], body: Buffer.from(packed.bytes, start, packed.ends[i] - start) });
    start = packed.ends[i];
  }
  return out;
}
