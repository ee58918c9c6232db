/** Most sentences a span-annotated answer scores one by one; the rest of a longer text is one last span. */
export const MAX_SPANS = 100;

function isEnd(c: string): boolean {
  // Latin, Arabic/Persian (؟ ۔) and CJK sentence ends.
  return c === '.' || c === '!' || c === '?' || c === '؟' || c === '۔' || c === '。' || c === '！' || c === '？';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\u00a0';
}

/**
 * Sentences of a text as [begin, end) offsets (UTF-16 code units, as Perspective's spanScores count them), in one
 * pass: a sentence ends after a run of end marks followed by white space, or at a line break. Leading white space is
 * left out of a span, trailing white space too; texts with no sentence break are one span.
 */
export function sentenceSpans(text: string, max = MAX_SPANS): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = -1;
  let lastNonSpace = -1;
  const close = (endExclusive: number) => {
    if (start >= 0 && lastNonSpace >= start) spans.push([start, Math.min(endExclusive, lastNonSpace + 1)]);
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (isSpace(c)) {
      if (c === '\n' || (i > 0 && isEnd(text[i - 1]))) {
        if (spans.length < max - 1) close(i);
      }
      continue;
    }
    if (start < 0) start = i;
    lastNonSpace = i;
  }
  close(text.length);
  return spans;
}
