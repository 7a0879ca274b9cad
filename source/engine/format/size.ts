// docker's size units (go-units): decimal (kB, MB) for image sizes and I/O counters, binary
// (KiB, MiB) for memory; and sizes as docker's flags read them (RAMInBytes).
import { invalidValue } from './invalid-value.js';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

// Go's "%.Ng": N significant digits, trailing zeros dropped.
function significant(value: number, digits: number): string {
  return String(Number(value.toPrecision(digits)));
}

function customSize(bytes: number, base: number, units: string[], digits: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= base && unit < units.length - 1) {
    size /= base;
    unit++;
  }
  return `${significant(size, digits)}${units[unit]}`;
}

// units.HumanSizeWithPrecision(size, 3): "4.26MB", "0B", "12.3kB".
export function humanSize(bytes: number): string {
  return customSize(bytes, 1000, DECIMAL_UNITS, 3);
}

// units.BytesSize: "1.5MiB", "64MiB", "7.63GiB".
export function bytesSize(bytes: number): string {
  return customSize(bytes, 1024, BINARY_UNITS, 4);
}

const BINARY_MULTIPLES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

// units.RAMInBytes: "64m", "64M", "64mb", "1.5g", "512" (bytes) — always binary multiples.
export function parseRamBytes(raw: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(raw.trim());
  if (!m) throw invalidValue(flag, raw, `invalid size: '${raw}'`);
  const bytes = Math.floor(Number(m[1]) * BINARY_MULTIPLES[(m[2] ?? '').toLowerCase()]);
  if (!Number.isSafeInteger(bytes)) throw invalidValue(flag, raw, `invalid size: '${raw}'`);
  return bytes;
}
