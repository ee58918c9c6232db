const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
/** Tags after which Coral's editor starts a new line. */
const BLOCK = new Set(['p', 'br', 'div', 'blockquote', 'li', 'ul', 'ol']);

/**
 * The text of a Coral comment body sent in HTML (Coral's default "Comment Body Format"), in one pass: tags dropped
 * (block tags become line breaks), the common entities decoded. Coral's editor writes a small set of tags, so no full
 * HTML parser is needed; anything unusual still ends up as text the models can read.
 */
export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '<') {
      const close = html.indexOf('>', i + 1);
      if (close < 0) {
        out += html.slice(i);
        break;
      }
      const name = /^\/?([a-zA-Z0-9]+)/.exec(html.slice(i + 1, Math.min(close, i + 12)))?.[1]?.toLowerCase();
      if (name && BLOCK.has(name)) out += '\n';
      i = close + 1;
    } else if (c === '&') {
      // Entities are short: looking no further than 9 characters keeps a run of bare '&' linear.
      const rel = html.slice(i + 1, i + 10).indexOf(';');
      const semi = rel < 0 ? -1 : i + 1 + rel;
      const name = semi > i ? html.slice(i + 1, semi) : undefined;
      const decoded = name ? (ENTITIES[name] ?? numeric(name)) : undefined;
      if (decoded !== undefined) {
        out += decoded;
        i = semi + 1;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/\n{3,}/g, '\n\n').trim();
}

function numeric(name: string): string | undefined {
  const m = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(name);
  if (!m) return undefined;
  const code = m[1][0] === 'x' ? parseInt(m[1].slice(1), 16) : Number(m[1]);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
