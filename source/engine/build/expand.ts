// Dockerfile variable expansion and word splitting, as BuildKit's shell lexer does it: $VAR,
// ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}, ${VAR:?msg}; single quotes
// are literal, double quotes expand; the escape character (\ or `) makes the next character
// literal. Used for the instructions docker expands (ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL
// USER VOLUME WORKDIR, ONBUILD not); RUN/CMD/ENTRYPOINT are left to the shell.
import { EngineError } from '../errors.js';

export type Vars = ReadonlyMap<string, string>;

/** One word: quotes removed, variables expanded, whitespace kept. */
export function expandWord(input: string, vars: Vars, escape = '\\'): string {
  return lex(input, vars, escape, false).join('');
}

/** Several words: split on unquoted whitespace, quotes removed, variables expanded. */
export function expandWords(input: string, vars: Vars, escape = '\\'): string[] {
  return lex(input, vars, escape, true);
}

/** Variables expanded, quotes and escapes kept for a later word splitter (ENV, LABEL, heredoc bodies). */
export function expandKeepingQuotes(input: string, vars: Vars, escape = '\\'): string {
  return lex(input, vars, escape, false, true).join('');
}

/**
 * A heredoc body whose delimiter is unquoted (COPY/ADD), as BuildKit expands it: quotes are
 * ordinary characters, a backslash makes the next character literal (`\$X` gives `$X`).
 */
export function expandHeredocBody(input: string, vars: Vars): string {
  return lex(input, vars, '\\', false, false, false).join('');
}

function substitute(name: string, op: string | undefined, word: string, vars: Vars): string {
  const value = vars.get(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case undefined: return value ?? '';
    case ':-': return nonEmpty ? value! : word;
    case '-': return set ? value! : word;
    case ':+': return nonEmpty ? word : '';
    case '+': return set ? word : '';
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : set) return value!;
      throw new EngineError(`${name}: ${word || 'is not allowed to be unset'}`, 'invalid');
    default: return value ?? '';
  }
}

function lex(input: string, vars: Vars, escape: string, split: boolean, keep = false, quotes = true): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const push = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const dollar = (): string => {
    // at input[i] === '$'
    const next = input[i + 1];
    if (next === '{') {
      const close = matchingBrace(input, i + 1);
      if (close < 0) throw new EngineError(`missing '}' in ${JSON.stringify(input)}`, 'invalid');
      const inner = input.slice(i + 2, close);
      i = close + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner);
      if (!m) throw new EngineError(`bad substitution \${${inner}} in ${JSON.stringify(input)}`, 'invalid');
      const word = m[3] === undefined ? '' : lex(m[3], vars, escape, false).join('');
      return substitute(m[1], m[2], word, vars);
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i + 1));
    if (!m) {
      i++;
      return '$';
    }
    i += 1 + m[0].length;
    return vars.get(m[0]) ?? '';
  };

  while (i < input.length) {
    const c = input[i];
    if (c === escape) {
      if (i + 1 < input.length) word += keep ? `${c}${input[i + 1]}` : input[i + 1];
      else word += c;
      i += 2;
      inWord = true;
    } else if (c === "'" && quotes) {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new EngineError(`unterminated single quote in ${JSON.stringify(input)}`, 'invalid');
      word += keep ? input.slice(i, end + 1) : input.slice(i + 1, end);
      i = end + 1;
      inWord = true;
    } else if (c === '"' && quotes) {
      i++;
      inWord = true;
      if (keep) word += '"';
      for (;;) {
        if (i >= input.length) throw new EngineError(`unterminated double quote in ${JSON.stringify(input)}`, 'invalid');
        const d = input[i];
        if (d === '"') {
          i++;
          if (keep) word += '"';
          break;
        }
        if (d === escape && i + 1 < input.length) {
          const n = input[i + 1];
          // Inside double quotes the escape only escapes what is special there.
          word += !keep && (n === '"' || n === '$' || n === escape) ? n : `${d}${n}`;
          i += 2;
        } else if (d === '$') {
          word += dollar();
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '$') {
      const value = dollar();
      if (split && /\s/.test(value)) {
        const parts = value.split(/\s+/);
        word += parts[0];
        if (parts[0] !== '') inWord = true;
        for (const part of parts.slice(1)) {
          push();
          word = part;
          inWord = part !== '';
        }
      } else {
        word += value;
        if (value !== '') inWord = true;
      }
    } else if (split && /\s/.test(c)) {
      push();
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  push();
  return split ? words : [words.join('')];
}

function matchingBrace(input: string, open: number): number {
  let depth = 0;
  for (let j = open; j < input.length; j++) {
    if (input[j] === '{') depth++;
    else if (input[j] === '}' && --depth === 0) return j;
  }
  return -1;
}
