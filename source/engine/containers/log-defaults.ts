// The store's default log bounds, from the config file's "log-opts" (docker's daemon.json
// names: {"log-opts": {"max-size": "10m", "max-file": "3"}}), given to every container created
// without its own --log-opt max-size/max-file, as dockerd does. Unset: docker's default, an
// unbounded json-file log. A value that does not parse is ignored (`info` shows what is in effect).
import type { LogOptions } from '../api.js';
import { parseRamBytes } from '../format/size.js';
import { readConfigFile } from '../store/config-file.js';

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  try {
    const bytes = parseRamBytes(value, 'log-opts max-size');
    return bytes > 0 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function countOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** The config file's default log options (empty: unbounded, docker's default). */
export function storeLogDefaults(env: NodeJS.ProcessEnv = process.env): LogOptions {
  const opts = readConfigFile(env)['log-opts'] as Record<string, unknown> | undefined;
  if (typeof opts !== 'object' || opts === null) return {};
  const maxSizeBytes = sizeOf(opts['max-size']);
  const maxFiles = countOf(opts['max-file']);
  return { ...(maxSizeBytes !== undefined && { maxSizeBytes }), ...(maxFiles !== undefined && { maxFiles }) };
}

/** A container's log options: its own, the store's defaults for what it left unset. */
export function withLogDefaults(own: LogOptions | undefined, defaults: LogOptions): LogOptions {
  return { ...defaults, ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => v !== undefined)) };
}
