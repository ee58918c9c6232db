/** 32-bit FNV-1a, the hash of tokens and n-grams (features.ts); the tokenizer computes it while scanning. */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over `s[start, end)`, continuing from `h`; no substring is allocated. */
export function fnv(s: string, start: number, end: number, h: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}
