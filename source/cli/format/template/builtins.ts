// text/template's predefined functions: and or not len index slice eq ne lt le gt ge print
// printf println html js urlquery, with Go's results and error messages.
import { sprint, sprintf, sprintln } from './fmt.js';
import { type FuncMap, fn } from './functions.js';
import { GoFloat, MISSING, goType, isFloat, isMap, numberOf, truth } from './values.js';

export const BUILTINS: FuncMap = {
  and: { params: ['value'], variadic: 'value', shortCircuit: 'and', call: () => undefined },
  or: { params: ['value'], variadic: 'value', shortCircuit: 'or', call: () => undefined },
  not: fn(['value'], (v) => !truth(v)),
  len: fn(['value'], length),
  index: fn(['value'], index, 'value'),
  slice: fn(['value'], slice, 'value'),
  eq: fn(['value'], (a, ...bs) => {
    if (bs.length === 0) throw new Error('missing argument for comparison');
    return bs.some((b) => equal(a, b));
  }, 'value'),
  ne: fn(['value', 'value'], (a, b) => !equal(a, b)),
  lt: fn(['value', 'value'], (a, b) => less(a, b)),
  le: fn(['value', 'value'], (a, b) => less(a, b) || equal(a, b)),
  gt: fn(['value', 'value'], (a, b) => !less(a, b) && !equal(a, b)),
  ge: fn(['value', 'value'], (a, b) => !less(a, b)),
  print: fn([], (...args) => sprint(args), 'any'),
  printf: fn(['string'], (format, ...args) => sprintf(format, args), 'any'),
  println: fn([], (...args) => sprintln(args), 'any'),
  html: fn([], (...args) => htmlEscape(evalArgs(args)), 'any'),
  js: fn([], (...args) => jsEscape(evalArgs(args)), 'any'),
  urlquery: fn([], (...args) => encodeURIComponent(evalArgs(args)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`), 'any'),
};

function evalArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

function length(v: unknown): number {
  if (v === MISSING || v === null) throw new Error('len of nil pointer');
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw new Error(`len of type ${goType(v)}`);
}

function indexArg(i: unknown, cap: number): number {
  if (i === null || i === MISSING) throw new Error('cannot index slice/array with nil');
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new Error(`cannot index slice/array with type ${goType(i)}`);
  if (i < 0 || i > cap) throw new Error(`index out of range: ${i}`);
  return i;
}

function index(item: unknown, ...keys: unknown[]): unknown {
  if (item === MISSING) throw new Error('index of untyped nil');
  for (const key of keys) {
    // a nil map (docker's Labels of an image without labels) indexes to its zero value
    if (item === null && typeof key === 'string') return '';
    if (item === null) throw new Error('index of untyped nil');
    if (typeof item === 'string' || Array.isArray(item)) {
      const i = indexArg(key, item.length);
      if (i === item.length) throw new Error('reflect: slice index out of range');
      item = typeof item === 'string' ? Buffer.from(item)[i] : item[i];
    } else if (isMap(item)) {
      if (typeof key !== 'string') throw new Error(`value has type ${goType(key)}; should be string`);
      item = Object.prototype.hasOwnProperty.call(item, key) ? item[key] : zeroOfMap(item);
    } else {
      throw new Error(`can't index item of type ${goType(item)}`);
    }
  }
  return item;
}

// docker's maps are mostly map[string]string (labels, options): their zero value is ""
function zeroOfMap(map: Record<string, unknown>): unknown {
  return Object.values(map).every((v) => typeof v === 'string') ? '' : null;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === MISSING || item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  if (typeof item !== 'string' && !Array.isArray(item)) throw new Error(`can't slice item of type ${goType(item)}`);
  if (typeof item === 'string' && indexes.length === 3) throw new Error('cannot 3-index slice a string');
  const cap = item.length;
  const idx = [0, item.length];
  indexes.forEach((x, i) => (idx[i] = indexArg(x, cap)));
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (typeof item === 'string') return Buffer.from(item).subarray(idx[0], idx[1]).toString();
  return item.slice(idx[0], idx[1]);
}

type Kind = 'bool' | 'number' | 'float' | 'string' | 'invalid' | 'other';
function kind(v: unknown): Kind {
  if (v === MISSING) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (isFloat(v)) return 'float';
  if (typeof v === 'number') return 'number';
  return 'other';
}

function equal(a: unknown, b: unknown): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) {
    if (ka === 'invalid' || kb === 'invalid') return false;
    throw new Error('incompatible types for comparison');
  }
  if (ka === 'other') {
    if (a === null || b === null) return a === b;
    throw new Error(`non-comparable type ${goType(a)}`);
  }
  return (a instanceof GoFloat ? a.value : a) === (b instanceof GoFloat ? b.value : b);
}

function less(a: unknown, b: unknown): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'bool' || ka === 'other' || ka === 'invalid' || kb === 'bool' || kb === 'other' || kb === 'invalid') throw new Error('invalid type for comparison');
  if (ka !== kb) throw new Error('incompatible types for comparison');
  const x = numberOf(a) ?? (a as string);
  const y = numberOf(b) ?? (b as string);
  return x < y;
}

const HTML_ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };
function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]);
}

const JS_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\u000A', '\r': '\\u000D', '\t': '\\u0009' };
function jsEscape(s: string): string {
  // eslint-disable-next-line no-control-regex -- Go's JSEscape escapes control characters: matching them is the point
  return s.replace(/[\\'"<>&=\x00-\x1f\x7f]/g, (c) => JS_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
