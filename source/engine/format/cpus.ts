// docker's ParseCPUs: a decimal number of CPUs → nano CPUs, refusing sub-nano precision.
import { invalidValue } from './invalid-value.js';

export function parseNanoCpus(raw: string, flag = '--cpus'): number {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(raw.trim());
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw invalidValue(flag, raw, 'failed to parse as a number of CPUs');
  const fraction = m[2] ?? '';
  if (fraction.replace(/0+$/, '').length > 9) throw invalidValue(flag, raw, 'value is too precise');
  const nanos = Number(m[1] || '0') * 1e9 + Number((fraction + '000000000').slice(0, 9));
  if (!Number.isSafeInteger(nanos)) throw invalidValue(flag, raw, 'value is too large');
  return nanos;
}
