// Flag values as docker reads them. Every error names the flag it came from.
import { parseGoDuration } from '../engine/format/duration.js';
import fs from 'node:fs';
import { invalidValue, parseInteger } from './args.js';
import { CliError } from './errors.js';
import { parseRamBytes } from '../engine/format/size.js';

export { parseInteger };

const invalid = invalidValue;

// `-e KEY` (no "=") takes KEY from our own environment, or is dropped when unset, like docker.
export function resolveEnvEntry(entry: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (entry.includes('=')) {
    if (entry.startsWith('=')) throw new CliError(`invalid environment variable: ${entry}`);
    return entry;
  }
  if (entry.trim() === '') throw new CliError('invalid environment variable: empty name');
  const value = env[entry];
  return value === undefined ? undefined : `${entry}=${value}`;
}

export function parseEnvFileText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const name = line.split('=', 1)[0];
    if (/\s/.test(name)) throw new CliError(`${file}:${index + 1}: variable '${name}' contains whitespaces`);
    const resolved = resolveEnvEntry(line, env);
    if (resolved !== undefined) out.push(resolved);
  });
  return out;
}

export function readEnvFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
  return parseEnvFileText(text, file);
}

export function parseLabels(entries: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq === -1 ? entry : entry.slice(0, eq);
    if (key === '') throw invalid('--label', entry, 'empty label name');
    labels[key] = eq === -1 ? '' : entry.slice(eq + 1);
  }
  return labels;
}

export function parseLogOpts(entries: string[]): { maxSizeBytes?: number; maxFiles?: number } {
  const log: { maxSizeBytes?: number; maxFiles?: number } = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq === -1) throw invalid('--log-opt', entry, 'expected key=value');
    const key = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (key === 'max-size') log.maxSizeBytes = parseRamBytes(value, '--log-opt max-size');
    else if (key === 'max-file') log.maxFiles = parseInteger(value, '--log-opt max-file', { min: 1 });
    else throw invalid('--log-opt', entry, `unknown log opt '${key}' (supported: max-size, max-file)`);
  }
  return log;
}

// --since/--until: a Go duration relative to now, an RFC3339 date/time, or a unix timestamp.
export { parseGoDuration };

export function parseTimeArg(raw: string, flag: string, now: Date = new Date()): Date {
  const ms = parseGoDuration(raw);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  if (/^\d+(\.\d+)?$/.test(raw)) return new Date(Number(raw) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    // A date-time without a zone is local time, as docker reads it.
    const parsed = new Date(raw.length === 10 ? `${raw}T00:00:00` : raw);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  throw invalid(flag, raw, 'expected a duration (10s, 5m), an RFC3339 time or a unix timestamp');
}

export function parseTail(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  const n = parseInteger(raw, '--tail');
  return n < 0 ? undefined : n;
}

// bridge, none, host or a network's name/id; the engine says whether it exists
// docker's words; an empty value is the daemon's default
export function parseCgroupns(raw: string | undefined): 'host' | 'private' | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'host' && raw !== 'private') throw new CliError('--cgroupns: invalid CGROUP mode');
  return raw;
}

export function parseNetwork(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'default') return 'bridge';
  if (/^container:[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(raw)) return raw;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(raw)) throw invalid('--network', raw, 'expected bridge, none, host, container:NAME or a network name');
  return raw;
}
