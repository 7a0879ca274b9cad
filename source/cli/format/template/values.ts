// Go's view of the JSON-like values templates run over: which are true, what type Go would
// call them, and how fmt prints them with %v (maps sorted by key, slices as [a b], nil <nil>).

/** A missing map key or field of nothing: Go's invalid reflect.Value, printed "<no value>". */
export const MISSING: unique symbol = Symbol('no value');

/** A float constant of the template (1.0, 2e3): a JS number would pass for an int. */
export class GoFloat {
  constructor(readonly value: number) {}

  toJSON(): number {
    return this.value;
  }
}

export function isFloat(v: unknown): v is number | GoFloat {
  return v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** The JS number of a Go int or float, or undefined for anything else. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof GoFloat) return v.value;
  return undefined;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoFloat);
}

/** Go's truth: false, 0, "", nil, and empty slices and maps are false. */
export function truth(v: unknown): boolean {
  if (v === MISSING || v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** The Go type the value would have after a JSON decode into interface{}. */
export function goType(v: unknown): string {
  if (v === null || v === undefined || v === MISSING) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isFloat(v)) return 'float64';
  if (typeof v === 'number') return 'int';
  if (Array.isArray(v)) return v.every((e) => typeof e === 'string') && v.length > 0 ? '[]string' : '[]interface {}';
  if (typeof v === 'function') return 'func';
  return 'map[string]interface {}';
}

/** fmt's %v. */
export function goString(v: unknown): string {
  if (v === MISSING) return '<no value>';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'number' || v instanceof GoFloat) return formatShortestG(numberOf(v)!);
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') return `map[${sortedKeys(v).map((k) => `${k}:${goString((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  return String(v);
}

export function sortedKeys(v: object): string[] {
  return Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** strconv.FormatFloat(x, 'g', -1, 64): shortest digits, an exponent below 1e-4 and from 1e6. */
export function formatShortestG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}
