// ${VAR} substitution in a compose file's values, as the Compose Specification has it:
// $VAR, ${VAR}, ${VAR:-default} (unset or empty), ${VAR-default} (unset), ${VAR:?error},
// ${VAR?error}, ${VAR:+replacement}, ${VAR+replacement}, nested in defaults; $$ is a `$`.
// An unset variable without a default is blank, with a warning, as docker compose does.

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {}

interface Scan {
  text: string;
  end: number; // index just past what was read
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(value: string, lookup: Lookup, warn: (message: string) => void): string {
  return scan(value, 0, lookup, warn, false).text;
}

/** Reads from `i` to the end, or to the `}` that closes a braced default when `inBraces`. */
function scan(s: string, i: number, lookup: Lookup, warn: (message: string) => void, inBraces: boolean): Scan {
  let out = '';
  while (i < s.length) {
    const ch = s[i];
    if (inBraces && ch === '}') return { text: out, end: i };
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const braced = bracedVariable(s, i + 2, lookup, warn);
      out += braced.text;
      i = braced.end;
      continue;
    }
    const name = NAME.exec(s.slice(i + 1))?.[0];
    if (!name) {
      out += '$';
      i++;
      continue;
    }
    out += valueOf(name, lookup, warn);
    i += 1 + name.length;
  }
  if (inBraces) throw new InterpolationError(`invalid interpolation format for "${s}": a "\${" is not closed`);
  return { text: out, end: i };
}

function valueOf(name: string, lookup: Lookup, warn: (message: string) => void): string {
  const v = lookup(name);
  if (v === undefined) {
    warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
    return '';
  }
  return v;
}

/** `${NAME…}` from just after `${`; ends past the closing brace. */
function bracedVariable(s: string, i: number, lookup: Lookup, warn: (message: string) => void): Scan {
  const name = NAME.exec(s.slice(i))?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format for "${s}": "\${${s.slice(i, s.indexOf('}', i) + 1 || undefined)}" needs a variable name`);
  let j = i + name.length;
  if (s[j] === '}') return { text: valueOf(name, lookup, warn), end: j + 1 };
  const colon = s[j] === ':';
  if (colon) j++;
  const op = s[j];
  if (op !== '-' && op !== '?' && op !== '+') throw new InterpolationError(`invalid interpolation format for "${s}": unexpected "${s[j] ?? 'end'}" after \${${name}`);
  // The word after the operator is read lazily: only the branch taken is interpolated (and warns).
  const value = lookup(name);
  const unset = value === undefined || (colon && value === '');
  const quiet = () => undefined;
  const word = scan(s, j + 1, lookup, op === '-' && unset ? warn : op === '+' && !unset ? warn : quiet, true);
  const end = word.end + 1;
  if (op === '-') return { text: unset ? word.text : value!, end };
  if (op === '+') return { text: unset ? '' : word.text, end };
  if (unset) throw new InterpolationError(word.text ? `required variable ${name} is missing a value: ${word.text}` : `required variable ${name} is missing a value`);
  return { text: value!, end };
}

/** Every string of a parsed YAML value interpolated (keys stay as written). */
export function interpolateTree(node: unknown, lookup: Lookup, warn: (message: string) => void, onError: (path: string[], error: InterpolationError) => never, path: string[] = []): unknown {
  if (typeof node === 'string') {
    try {
      return interpolate(node, lookup, warn);
    } catch (error) {
      if (error instanceof InterpolationError) onError(path, error);
      throw error;
    }
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolateTree(v, lookup, warn, onError, [...path, String(i)]));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, lookup, warn, onError, [...path, k])]));
  }
  return node;
}
