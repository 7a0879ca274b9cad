// Go's text/template lexer: the template split into text and the items of its actions, with
// {{- and -}} trimming the text beside them and {{/* */}} comments dropped.
import { TemplateError } from './errors.js';

export type ItemType =
  | 'text' | 'leftDelim' | 'rightDelim' | 'space' | 'field' | 'variable' | 'identifier' | 'keyword'
  | 'bool' | 'nil' | 'dot' | 'number' | 'charConstant' | 'string' | 'rawString' | 'pipe'
  | 'declare' | 'assign' | 'leftParen' | 'rightParen' | 'char' | 'eof';

export interface Item {
  type: ItemType;
  value: string;
  pos: number;
  line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => /[\p{L}\p{Nd}_]/u.test(c);

export function lex(input: string, name: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let line = 1;
  const fail = (message: string): never => {
    throw new TemplateError(`template: ${name}:${line}: ${message}`);
  };
  const emit = (type: ItemType, start: number, end: number) => {
    const value = input.slice(start, end);
    items.push({ type, value, pos: start, line });
    line += countNewlines(value);
  };

  while (pos < input.length) {
    const open = input.indexOf('{{', pos);
    const textEnd = open === -1 ? input.length : open;
    let afterOpen = open + 2;
    let trimmedEnd = textEnd;
    if (open !== -1 && input[afterOpen] === '-' && isSpace(input[afterOpen + 1] ?? '')) {
      while (trimmedEnd > pos && isSpace(input[trimmedEnd - 1])) trimmedEnd--;
      afterOpen += 2;
    }
    if (trimmedEnd > pos) emit('text', pos, trimmedEnd);
    line += countNewlines(input.slice(trimmedEnd, textEnd));
    if (open === -1) break;
    pos = lexAction(open, afterOpen);
  }
  items.push({ type: 'eof', value: '', pos: input.length, line });
  return items;

  // From just after "{{" (and its trim marker); answers where the text after the action starts.
  function lexAction(open: number, start: number): number {
    let p = start;
    if (input.startsWith('/*', p)) {
      const close = input.indexOf('*/', p + 2);
      if (close === -1) fail('unclosed comment');
      line += countNewlines(input.slice(p, close));
      p = close + 2;
      const trim = atRightDelim(p);
      if (!trim) fail('comment ends before closing delimiter');
      return afterRightDelim(p, trim!);
    }
    items.push({ type: 'leftDelim', value: '{{', pos: open, line });
    let parens = 0;
    for (;;) {
      const trim = atRightDelim(p);
      if (trim) {
        if (parens > 0) fail('unclosed left paren');
        items.push({ type: 'rightDelim', value: '}}', pos: p, line });
        return afterRightDelim(p, trim);
      }
      const c = input[p];
      if (c === undefined) fail('unclosed action');
      const start = p;
      if (isSpace(c)) {
        while (isSpace(input[p] ?? '') && !atRightTrim(p)) p++;
        if (p === start) p++; // a lone blank before " -}}" still separates
        emit('space', start, p);
      } else if (c === '=') {
        emit('assign', p, ++p);
      } else if (c === ':') {
        if (input[p + 1] !== '=') fail('expected :=');
        p += 2;
        emit('declare', start, p);
      } else if (c === '|') {
        emit('pipe', p, ++p);
      } else if (c === '"') {
        p = scanQuoted(p, '"', 'unterminated quoted string');
        emit('string', start, p);
      } else if (c === '`') {
        const close = input.indexOf('`', p + 1);
        if (close === -1) fail('unterminated raw quoted string');
        p = close + 1;
        emit('rawString', start, p);
      } else if (c === "'") {
        p = scanQuoted(p, "'", 'unterminated character constant');
        emit('charConstant', start, p);
      } else if (c === '$') {
        p = scanWord(p + 1);
        emit('variable', start, p);
      } else if (c === '.' && /[0-9]/.test(input[p + 1] ?? '')) {
        p = scanNumber(p);
        emit('number', start, p);
      } else if (c === '.') {
        p = scanWord(p + 1);
        emit(p === start + 1 ? 'dot' : 'field', start, p);
      } else if (c === '+' || c === '-' || /[0-9]/.test(c)) {
        p = scanNumber(p);
        emit('number', start, p);
      } else if (isAlnum(c)) {
        p = scanWord(p);
        const word = input.slice(start, p);
        if (!atTerminator(p)) fail(`bad character ${unicodeName(input[p])}`);
        emit(KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier', start, p);
      } else if (c === '(') {
        parens++;
        emit('leftParen', p, ++p);
      } else if (c === ')') {
        if (--parens < 0) fail(`unexpected right paren`);
        emit('rightParen', p, ++p);
      } else if (c <= '\x7f' && c >= ' ') {
        emit('char', p, ++p);
      } else {
        fail(`unrecognized character in action: ${unicodeName(c)}`);
      }
    }
  }

  // 'trim' when " -}}" is at p, 'plain' for "}}", undefined otherwise
  function atRightDelim(p: number): 'trim' | 'plain' | undefined {
    if (atRightTrim(p)) return 'trim';
    return input.startsWith('}}', p) ? 'plain' : undefined;
  }
  function atRightTrim(p: number): boolean {
    return isSpace(input[p] ?? '') && input[p + 1] === '-' && input.startsWith('}}', p + 2);
  }
  function afterRightDelim(p: number, trim: 'trim' | 'plain'): number {
    let next = p + (trim === 'trim' ? 4 : 2);
    if (trim === 'trim') {
      const from = next;
      while (next < input.length && isSpace(input[next])) next++;
      line += countNewlines(input.slice(from, next));
    }
    return next;
  }
  function atTerminator(p: number): boolean {
    const c = input[p];
    if (c === undefined || isSpace(c) || '.,|:()='.includes(c)) return true;
    return input.startsWith('}}', p);
  }
  function scanWord(p: number): number {
    while (p < input.length && isAlnum(input[p])) p++;
    return p;
  }
  function scanQuoted(p: number, quote: string, unterminated: string): number {
    for (p++; ; p++) {
      const c = input[p];
      if (c === '\\') p++;
      else if (c === quote) return p + 1;
      if (c === undefined || c === '\n' || input[p] === undefined) fail(unterminated);
    }
  }
  function scanNumber(p: number): number {
    const start = p;
    if (input[p] === '+' || input[p] === '-') p++;
    let digits = '0123456789_';
    if (input[p] === '0' && /[xXoObB]/.test(input[p + 1] ?? '')) {
      digits = /[xX]/.test(input[p + 1]) ? '0123456789abcdefABCDEF_' : /[oO]/.test(input[p + 1]) ? '01234567_' : '01_';
      p += 2;
    }
    while (p < input.length && digits.includes(input[p])) p++;
    if (input[p] === '.') for (p++; p < input.length && digits.includes(input[p]); ) p++;
    const exponent = digits.length === 11 ? 'eE' : digits.length > 20 ? 'pP' : '';
    if (exponent && exponent.includes(input[p] ?? ' ')) {
      p++;
      if (input[p] === '+' || input[p] === '-') p++;
      while (p < input.length && /[0-9_]/.test(input[p])) p++;
    }
    if (input[p] === 'i') p++;
    if (isAlnum(input[p] ?? ' ')) fail(`bad number syntax: "${input.slice(start, p + 1)}"`);
    return p;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function unicodeName(c: string): string {
  const code = c.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}
