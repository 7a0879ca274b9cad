// `--filter key=value` as docker reads it for every listing verb: a value without `=` is a flag
// error (125, the flag parser's words), an unknown key is the daemon's "invalid filter" (exit 1);
// keys fold to lower case and the values of one key stay in order.
import { CliError, EXIT_VERB_FAILED } from './errors.js';

export function readFilterFlags(raw: readonly string[], keys: readonly string[]): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const flag of raw) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid argument "${flag}" for "-f, --filter" flag: bad format of filter (expected name=value)`);
    const key = flag.slice(0, eq).toLowerCase();
    if (!keys.includes(key)) throw new CliError(`invalid filter '${key}'`, EXIT_VERB_FAILED);
    filters.set(key, [...(filters.get(key) ?? []), flag.slice(eq + 1)]);
  }
  return filters;
}
