// Go's fmt for template values: Sprint, Sprintln and Sprintf with its verbs, flags, width and
// precision, and its in-band errors (%!d(string=x), %!s(MISSING), %!(EXTRA int=1)).
import { quote } from './quote.js';
import { GoFloat, MISSING, goString, goType, isFloat, isMap, numberOf, sortedKeys } from './values.js';

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goString(a === MISSING ? null : a);
  });
  return out;
}

export function sprintln(args: unknown[]): string {
  return `${args.map((a) => goString(a === MISSING ? null : a)).join(' ')}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
  verb: string;
}

export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, verb: '' };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const argIndex = () => {
      const m = /^\[(\d+)\]/.exec(format.slice(i));
      if (!m) return true;
      i += m[0].length;
      reordered = true;
      const n = Number(m[1]) - 1;
      if (n < 0 || n > args.length) return false;
      argNum = n;
      return true;
    };
    let goodIndex = argIndex();
    let badWidth = false;
    let badPrec = false;
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      if (typeof w === 'number' && Number.isInteger(w)) {
        spec.width = Math.abs(w);
        if (w < 0) spec.minus = true;
      } else badWidth = true;
      goodIndex = argIndex();
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      goodIndex = argIndex();
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0) spec.prec = p;
        else badPrec = true;
        goodIndex = argIndex();
      } else {
        const m = /^\d*/.exec(format.slice(i))!;
        spec.prec = Number(m[0] || 0);
        i += m[0].length;
      }
    }
    if (!reordered || goodIndex) goodIndex = argIndex() && goodIndex;
    if (badWidth) out += '%!(BADWIDTH)';
    if (badPrec) out += '%!(BADPREC)';
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    spec.verb = verb;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++];
    out += verb === 'T' ? pad(goType(arg), spec) : formatValue(arg === MISSING ? null : arg, spec);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args.slice(argNum).map((a) => (a === null || a === MISSING ? '<nil>' : `${goType(a)}=${goString(a)}`)).join(', ')})`;
  }
  return out;
}

function badVerb(v: unknown, spec: Spec): string {
  return v === null || v === undefined ? `%!${spec.verb}(<nil>)` : `%!${spec.verb}(${goType(v)}=${goString(v)})`;
}

function formatValue(v: unknown, spec: Spec): string {
  if (v === null || v === undefined) return spec.verb === 'v' ? pad('<nil>', spec) : badVerb(v, spec);
  if (typeof v === 'string') return formatString(v, spec);
  if (typeof v === 'boolean') return spec.verb === 'v' || spec.verb === 't' ? pad(String(v), spec) : badVerb(v, spec);
  if (isFloat(v)) return formatFloat(numberOf(v)!, spec);
  if (typeof v === 'number') return formatInt(v, spec);
  if (Array.isArray(v)) return `[${v.map((e) => formatValue(e, { ...spec })).join(' ')}]`;
  if (isMap(v)) return `map[${sortedKeys(v).map((k) => `${formatValue(k, spec)}:${formatValue(v[k], spec)}`).join(' ')}]`;
  return pad(goString(v), spec);
}

function formatString(s: string, spec: Spec): string {
  const cut = spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s;
  switch (spec.verb) {
    case 'v':
      return pad(spec.sharp ? quote(cut) : cut, spec);
    case 's':
      return pad(cut, spec);
    case 'q':
      return pad(spec.sharp && !/[`\p{C}]/u.test(cut) ? `\`${cut}\`` : quote(cut, '"', spec.plus), spec);
    case 'x':
    case 'X': {
      const bytes = [...Buffer.from(s)].slice(0, spec.prec ?? Infinity);
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0'));
      const prefix = spec.sharp ? '0x' : '';
      const text = spec.space ? hex.map((h) => prefix + h).join(' ') : prefix + hex.join('');
      return pad(spec.verb === 'X' ? text.toUpperCase() : text, spec);
    }
    default:
      return badVerb(s, spec);
  }
}

function formatInt(n: number, spec: Spec): string {
  const negative = n < 0;
  const abs = Math.abs(n);
  let digits: string;
  let prefix = '';
  switch (spec.verb) {
    case 'v':
    case 'd':
      digits = String(abs);
      break;
    case 'b':
      digits = abs.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (spec.verb === 'O') prefix = '0o';
      else if (spec.sharp) prefix = '0';
      break;
    case 'x':
    case 'X':
      digits = abs.toString(16);
      if (spec.sharp) prefix = '0x';
      if (spec.verb === 'X') {
        digits = digits.toUpperCase();
        prefix = prefix.toUpperCase();
      }
      break;
    case 'c':
      return pad(String.fromCodePoint(n), spec);
    case 'q':
      return pad(quote(String.fromCodePoint(n), "'", spec.plus), spec);
    case 'U': {
      const u = `U+${abs.toString(16).toUpperCase().padStart(4, '0')}`;
      return pad(spec.sharp ? `${u} '${String.fromCodePoint(n)}'` : u, spec);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return badVerb(n, spec);
    default:
      return badVerb(n, spec);
  }
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && abs === 0 ? '' : digits.padStart(spec.prec, '0');
  }
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return padNumber(sign, prefix + digits, spec, spec.prec === undefined);
}

function formatFloat(x: number, spec: Spec): string {
  let text: string;
  switch (spec.verb) {
    case 'v':
    case 'g':
    case 'G':
      text = formatG(Math.abs(x), spec.prec, spec.sharp);
      break;
    case 'e':
    case 'E':
      text = expText(Math.abs(x).toExponential(spec.prec ?? 6));
      break;
    case 'f':
    case 'F':
      text = Math.abs(x).toFixed(spec.prec ?? 6);
      break;
    default:
      return badVerb(new GoFloat(x), spec);
  }
  if (spec.verb === 'E' || spec.verb === 'G') text = text.toUpperCase();
  if (!Number.isFinite(x)) {
    text = Number.isNaN(x) ? 'NaN' : 'Inf';
    const sign = Number.isNaN(x) ? (spec.plus ? '+' : spec.space ? ' ' : '') : x < 0 ? '-' : spec.plus || !Number.isNaN(x) ? '+' : '';
    return pad(sign + text, { ...spec, zero: false });
  }
  const sign = x < 0 || Object.is(x, -0) ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return padNumber(sign, text, spec, true);
}

// %g: `prec` significant digits (shortest when absent), %e form when the exponent is below -4
// or reaches the precision (6 for the shortest form, whatever its digits)
function formatG(x: number, prec: number | undefined, sharp: boolean): string {
  if (x === 0) return '0';
  const p = prec === 0 ? 1 : prec;
  const [mantissa, expPart] = (p === undefined ? x.toExponential() : x.toExponential(p - 1)).split('e');
  const exp = Number(expPart);
  const digits = mantissa.replace('.', '');
  let eprec = p ?? 6;
  if (p !== undefined && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  const trim = (s: string) => (sharp || !s.includes('.') ? s : s.replace(/0+$/, '').replace(/\.$/, ''));
  if (exp < -4 || exp >= eprec) return expText(`${trim(mantissa)}e${expPart}`);
  const decimals = Math.max(0, digits.length - 1 - exp);
  return trim(x.toFixed(decimals));
}

// JS writes 1.5e+0; Go at least two exponent digits, 1.5e+00
function expText(js: string): string {
  return js.replace(/e([+-])(\d)$/, 'e$10$2');
}

function padNumber(sign: string, body: string, spec: Spec, zeroAllowed: boolean): string {
  const width = spec.width ?? 0;
  const length = sign.length + body.length;
  if (length >= width) return sign + body;
  if (spec.minus) return sign + body + ' '.repeat(width - length);
  if (spec.zero && zeroAllowed) return sign + '0'.repeat(width - length) + body;
  return ' '.repeat(width - length) + sign + body;
}

function pad(text: string, spec: Spec): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  const fill = (spec.zero && !spec.minus ? '0' : ' ').repeat(width - length);
  return spec.minus ? text + fill : fill + text;
}
