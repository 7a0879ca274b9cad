// The subset of Go's text/template that docker users type after -f/--format:
//   {{.State.Status}}  {{json .Config}}  {{index .Config.Labels "k"}}  {{join .Args " "}}
//   {{.Name | upper}}  {{lower .Name}}  {{len .Args}}  {{.}}
import { CliError } from '../errors.js';

type Token = { kind: 'text'; text: string } | { kind: 'action'; source: string };

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{{', pos);
    if (open === -1) {
      tokens.push({ kind: 'text', text: template.slice(pos) });
      break;
    }
    if (open > pos) tokens.push({ kind: 'text', text: template.slice(pos, open) });
    const close = template.indexOf('}}', open + 2);
    if (close === -1) throw new CliError(`template parsing error: template: :1: unclosed action`);
    let source = template.slice(open + 2, close);
    // {{- and -}} trim the neighbouring whitespace, as in Go.
    if (source.startsWith('- ')) {
      source = source.slice(1);
      const last = tokens[tokens.length - 1];
      if (last?.kind === 'text') last.text = last.text.trimEnd();
    }
    let trimAfter = false;
    if (source.endsWith(' -')) {
      source = source.slice(0, -1);
      trimAfter = true;
    }
    tokens.push({ kind: 'action', source: source.trim() });
    pos = close + 2;
    if (trimAfter) while (pos < template.length && /\s/.test(template[pos])) pos++;
  }
  return tokens;
}

// Words of an action: field paths, quoted strings, numbers, function names, and "|".
function splitWords(source: string): string[] {
  const words: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|]+)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    words.push(m[1]);
    if (re.lastIndex >= source.length) break;
  }
  return words;
}

const NO_VALUE = Symbol('no value');

function resolvePath(data: unknown, path: string): unknown {
  if (path === '.') return data;
  let current: unknown = data;
  for (const key of path.slice(1).split('.')) {
    if (current === null || typeof current !== 'object' || !(key in (current as object))) return NO_VALUE;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function literal(word: string, data: unknown): unknown {
  if (word.startsWith('.')) return resolvePath(data, word);
  if (word.startsWith('"')) return JSON.parse(word);
  if (word.startsWith('`')) return word.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === 'nil') return null;
  return undefined;
}

// How Go prints a value with {{.X}}: maps as map[k:v], slices as [a b], nil as <nil>.
export function goString(value: unknown): string {
  if (value === NO_VALUE) return '<no value>';
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goString).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object).sort().map((k) => `${k}:${goString((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  json: (v) => JSON.stringify(v === NO_VALUE ? null : v ?? null),
  upper: (v) => goString(v).toUpperCase(),
  lower: (v) => goString(v).toLowerCase(),
  title: (v) => goString(v).replace(/\b\w/g, (c) => c.toUpperCase()),
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
  join: (v, sep) => (Array.isArray(v) ? v.map(goString).join(String(sep ?? '')) : goString(v)),
  index: (v, ...keys) => keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[String(k)] : undefined), v) ?? NO_VALUE,
  split: (v, sep) => goString(v).split(String(sep)),
  println: (...vs) => vs.map(goString).join(' ') + '\n',
  print: (...vs) => vs.map(goString).join(''),
};

function evalCommand(words: string[], data: unknown, piped: unknown, hasPiped: boolean): unknown {
  const [head, ...rest] = words;
  if (head === undefined) throw new CliError('template parsing error: empty command');
  const fn = FUNCTIONS[head];
  if (fn) {
    const args: unknown[] = rest.map((w) => {
      const v = literal(w, data);
      if (v === undefined) throw new CliError(`template parsing error: unexpected "${w}" in command`);
      return v;
    });
    if (hasPiped) args.push(piped);
    return fn(...args);
  }
  if (rest.length > 0 || hasPiped) throw new CliError(`template parsing error: function "${head}" not defined`);
  const v = literal(head, data);
  if (v === undefined) throw new CliError(`template parsing error: function "${head}" not defined`);
  return v;
}

export function renderTemplate(template: string, data: unknown): string {
  const expanded = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  let out = '';
  for (const token of tokenize(expanded)) {
    if (token.kind === 'text') {
      out += token.text;
      continue;
    }
    const stages: string[][] = [[]];
    for (const word of splitWords(token.source)) {
      if (word === '|') stages.push([]);
      else stages[stages.length - 1].push(word);
    }
    let value: unknown;
    stages.forEach((words, k) => {
      value = evalCommand(words, data, value, k > 0);
    });
    out += goString(value);
  }
  return out;
}

// Fail on a bad template before doing any work, as docker does.
export function checkTemplate(template: string): void {
  renderTemplate(template, {});
}
