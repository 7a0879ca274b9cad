// What is wrong with a request body that is not JSON, in the words of Go's encoding/json, which
// dockerd answers with ("invalid JSON: invalid character 'x' looking for beginning of value",
// "invalid JSON: unexpected EOF"): a small scanner run only once JSON.parse has refused the text.

class Refusal {
  constructor(readonly message: string) {}
}

/** Go's quoteChar: 'x', '\'' and '\n' as Go writes them. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const quoted = JSON.stringify(c);
  return `'${quoted.slice(1, -1)}'`;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Go's error for `text`, or 'unexpected content after JSON' when a whole value has more after it. */
export function jsonSyntaxError(text: string): string {
  let at = 0;
  const skip = () => { while (at < text.length && WHITESPACE.has(text[at])) at++; };
  const next = (): string => {
    if (at >= text.length) throw new Refusal('unexpected EOF');
    return text[at];
  };
  const bad = (c: string, context: string) => new Refusal(`invalid character ${quoteChar(c)} ${context}`);

  const literal = (word: string) => {
    for (let i = 0; i < word.length; i++, at++) {
      const c = next();
      if (c !== word[i]) throw bad(c, `in literal ${word} (expecting ${quoteChar(word[i])})`);
    }
  };
  const string = () => {
    at++; // the opening quote
    for (;;) {
      const c = next();
      at++;
      if (c === '"') return;
      if (c < ' ') throw bad(c, 'in string literal');
      if (c === '\\') {
        const e = next();
        at++;
        if (e === 'u') {
          for (let i = 0; i < 4; i++, at++) {
            const h = next();
            if (!/[0-9a-fA-F]/.test(h)) throw bad(h, 'in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) throw bad(e, 'in string escape code');
      }
    }
  };
  const digits = () => { while (at < text.length && /[0-9]/.test(text[at])) at++; };
  const number = () => {
    if (text[at] === '-') {
      at++;
      const c = next();
      if (!/[0-9]/.test(c)) throw bad(c, 'in numeric literal');
    }
    if (text[at] === '0') at++;
    else digits();
    if (text[at] === '.') {
      at++;
      const c = next();
      if (!/[0-9]/.test(c)) throw bad(c, 'after decimal point in numeric literal');
      digits();
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      const c = next();
      if (!/[0-9]/.test(c)) throw bad(c, 'in exponent of numeric literal');
      digits();
    }
  };
  const value = (): void => {
    skip();
    const c = next();
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c)) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    throw bad(c, 'looking for beginning of value');
  };
  const object = () => {
    at++;
    skip();
    if (next() === '}') { at++; return; }
    for (;;) {
      skip();
      const k = next();
      if (k !== '"') throw bad(k, 'looking for beginning of object key string');
      string();
      skip();
      const colon = next();
      if (colon !== ':') throw bad(colon, 'after object key');
      at++;
      value();
      skip();
      const after = next();
      at++;
      if (after === '}') return;
      if (after !== ',') throw bad(after, 'after object key:value pair');
    }
  };
  const array = () => {
    at++;
    skip();
    if (next() === ']') { at++; return; }
    for (;;) {
      value();
      skip();
      const after = next();
      at++;
      if (after === ']') return;
      if (after !== ',') throw bad(after, 'after array element');
    }
  };

  try {
    value();
    skip();
    return at < text.length ? 'unexpected content after JSON' : 'unexpected EOF';
  } catch (err) {
    if (err instanceof Refusal) return err.message;
    throw err;
  }
}
