// Go's strconv.Quote and Unquote: the string literals of templates, and %q.
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
const ESCAPE_OF: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** The value of a Go string, raw string or character literal; undefined when malformed. */
export function unquote(literal: string): string | undefined {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  const body = literal.slice(1, -1);
  if (quote === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (quote !== '"' && quote !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === quote || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    if (e in SIMPLE_ESCAPES) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'")) return undefined;
      out += SIMPLE_ESCAPES[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      out += e === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else {
      return undefined;
    }
  }
  return out;
}

const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** strconv.Quote (asciiOnly: QuoteToASCII, as %+q). */
export function quote(s: string, quoteChar = '"', asciiOnly = false): string {
  let out = quoteChar;
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === quoteChar || c === '\\') out += `\\${c}`;
    else if (code < 0x80 ? code >= 0x20 && code !== 0x7f : !asciiOnly && (c === ' ' || !NOT_PRINTABLE.test(c))) out += c;
    else if (ESCAPE_OF[c]) out += ESCAPE_OF[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + quoteChar;
}
