// IPv4 prefixes: parsing, containment, overlap with the host's routes, and free subnets.
import { execFileSync } from 'node:child_process';
import { EngineError } from '../errors.js';

export interface Cidr {
  base: number; // network address as an unsigned 32-bit integer
  prefix: number;
}

export function parseIp(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

export function parseCidr(text: string): Cidr {
  const [ip, len] = text.split('/');
  const base = parseIp(ip ?? '');
  const prefix = Number(len);
  if (base === undefined || len === undefined || !/^\d+$/.test(len) || prefix > 32) throw new EngineError(`invalid subnet ${text}: expected an IPv4 CIDR like 10.89.0.0/24`, 'invalid');
  if (prefix > 30) throw new EngineError(`invalid subnet ${text}: a bridge network needs a prefix of /30 or shorter`, 'invalid');
  return { base: (base & mask(prefix)) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & mask(c.prefix)) >>> 0) === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(p)) >>> 0) === ((b.base & mask(p)) >>> 0);
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The host's IPv4 routes other than default routes and those through the given interfaces. */
export function hostRoutes(exceptDevices: string[] = []): Array<{ dst: Cidr; dev: string }> {
  const out: Array<{ dst: Cidr; dev: string }> = [];
  let rows: Array<{ dst: string; dev?: string }> = [];
  try {
    rows = JSON.parse(execFileSync('ip', ['-j', '-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) || '[]');
  } catch { /* no routes to compare against */ }
  for (const r of rows) {
    if (!r.dst || r.dst === 'default' || exceptDevices.includes(r.dev ?? '')) continue;
    const [ip, len = '32'] = r.dst.split('/');
    const base = parseIp(ip);
    if (base === undefined || base >>> 24 === 127) continue;
    // broadcast/local entries of the host's own addresses are covered by their prefix routes
    if (len === '32') continue;
    out.push({ dst: { base: (base & mask(Number(len))) >>> 0, prefix: Number(len) }, dev: r.dev ?? '' });
  }
  return out;
}

export function routeConflict(c: Cidr, exceptDevices: string[] = []): string | undefined {
  const hit = hostRoutes(exceptDevices).find((r) => overlaps(r.dst, c));
  return hit && `${formatCidr(hit.dst)} on ${hit.dev}`;
}

/** The first /prefix in `pool` that overlaps neither a host route nor any of `taken`. */
export function freeSubnet(pool: Cidr, prefix: number, taken: Cidr[], startAt = 0): Cidr | undefined {
  const routes = hostRoutes().map((r) => r.dst);
  const count = 2 ** (prefix - pool.prefix);
  for (let k = 0; k < count; k++) {
    const i = (startAt + k) % count;
    const candidate = { base: (pool.base + i * 2 ** (32 - prefix)) >>> 0, prefix };
    if (taken.some((t) => overlaps(t, candidate)) || routes.some((r) => overlaps(r, candidate))) continue;
    return candidate;
  }
  return undefined;
}
