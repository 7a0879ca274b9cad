// docker's template functions (docker/cli templates/templates.go), and the variants its table
// headers run with, which hand the column name back unchanged.
import { type FuncMap, fn } from './functions.js';
import { goString, goType, isMap, sortedKeys } from './values.js';

export const DOCKER_FUNCTIONS: FuncMap = {
  json: fn(['any'], (v) => jsonText(v)),
  split: fn(['string', 'string'], (s: string, sep: string) => (sep === '' ? [...s] : s.split(sep))),
  join: fn(['any', 'string'], join),
  title: fn(['string'], title),
  lower: fn(['string'], (s: string) => s.toLowerCase()),
  upper: fn(['string'], (s: string) => s.toUpperCase()),
  pad: fn(['string', 'int', 'int'], (s: string, prefix: number, suffix: number) => (s === '' ? s : ' '.repeat(Math.max(0, prefix)) + s + ' '.repeat(Math.max(0, suffix)))),
  truncate: fn(['string', 'int'], (s: string, n: number) => (Buffer.byteLength(s) < n ? s : Buffer.from(s).subarray(0, n).toString())),
};

const same = (s: string) => s;
export const HEADER_FUNCTIONS: FuncMap = {
  ...DOCKER_FUNCTIONS,
  json: fn(['string'], same),
  split: fn(['string', 'string'], same),
  join: fn(['string', 'string'], same),
  title: fn(['string'], same),
  lower: fn(['string'], same),
  upper: fn(['string'], same),
  truncate: fn(['string', 'int'], same),
};

// encoding/json with SetEscapeHTML(false): as JSON.stringify, but U+2028/2029 escaped
function jsonText(v: unknown): string {
  return (JSON.stringify(v ?? null) ?? 'null').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function join(elems: unknown, sep: string): string {
  if (elems === null) return '';
  if (Array.isArray(elems)) return elems.map(goString).join(sep);
  if (isMap(elems)) return sortedKeys(elems).map((k) => goString(elems[k])).sort().join(sep);
  throw new Error(`expected slice, got ${goType(elems)}`);
}

// strings.Title: a letter after a separator (ASCII other than letters, digits and _, or a blank)
function title(s: string): string {
  let out = '';
  let prev = ' ';
  for (const c of s) {
    out += isSeparator(prev) ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

function isSeparator(c: string): boolean {
  if (c <= '\x7f') return !/[0-9A-Za-z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return /\s/u.test(c);
}
