// Address allocation: one file per address in use (<network>/ipam/<ip>), created with O_EXCL,
// so two strata processes can never hand out the same address, and a crash leaves at worst an
// allocation whose container is gone, which reconcile() reclaims.
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkRecord } from '../api.js';
import { EngineError } from '../errors.js';
import { formatIp, parseCidr, parseIp, size } from './cidr.js';

export interface Allocation {
  ip: string;
  id: string; // container id
  pid: number; // the strata process that allocated it (a start in progress)
}

export function members(ipamDir: string): Allocation[] {
  let names: string[] = [];
  try { names = fs.readdirSync(ipamDir); } catch { return []; }
  const out: Allocation[] = [];
  for (const ip of names) {
    if (parseIp(ip) === undefined) continue;
    try {
      const { id, pid } = JSON.parse(fs.readFileSync(path.join(ipamDir, ip), 'utf8')) as Allocation;
      out.push({ ip, id, pid });
    } catch { /* torn by a crash while being written: its owner never started */
      out.push({ ip, id: '', pid: 0 });
    }
  }
  return out;
}

/** The address the user asked for (--ip): in the subnet, not the gateway, and free. */
function allocateWanted(net: NetworkRecord, ipamDir: string, containerId: string, wanted: string): string {
  const subnet = parseCidr(net.subnet);
  const n = parseIp(wanted);
  if (n === undefined || n <= subnet.base || n >= subnet.base + size(subnet) - 1) {
    throw new EngineError(`Invalid address ${wanted}: It does not belong to any of this network's subnets`, 'invalid');
  }
  if (n === parseIp(net.gateway)) throw new EngineError(`Address already in use: ${wanted} is the gateway of network ${net.name}`, 'conflict');
  fs.mkdirSync(ipamDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(path.join(ipamDir, formatIp(n)), JSON.stringify({ id: containerId, pid: process.pid }), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new EngineError(`Address already in use: ${wanted} on network ${net.name}`, 'conflict');
    throw err;
  }
  return formatIp(n);
}

export function allocate(net: NetworkRecord, ipamDir: string, containerId: string, wanted?: string): string {
  if (wanted) return allocateWanted(net, ipamDir, containerId, wanted);
  const subnet = parseCidr(net.subnet);
  const gateway = parseIp(net.gateway);
  const used = new Set(members(ipamDir).map((m) => m.ip));
  const last = subnet.base + size(subnet) - 1; // broadcast
  fs.mkdirSync(ipamDir, { recursive: true, mode: 0o700 });
  for (let n = subnet.base + 1; n < last; n++) {
    if (n === gateway) continue;
    const ip = formatIp(n);
    if (used.has(ip)) continue;
    try {
      fs.writeFileSync(path.join(ipamDir, ip), JSON.stringify({ id: containerId, pid: process.pid }), { flag: 'wx', mode: 0o600 });
      return ip;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new EngineError(`network ${net.name}: no free address left in ${net.subnet}`, 'conflict');
}

export function release(ipamDir: string, containerId: string): string[] {
  const freed: string[] = [];
  for (const m of members(ipamDir)) {
    if (m.id !== containerId) continue;
    fs.rmSync(path.join(ipamDir, m.ip), { force: true });
    freed.push(m.ip);
  }
  return freed;
}

export function releaseIp(ipamDir: string, ip: string): void {
  fs.rmSync(path.join(ipamDir, ip), { force: true });
}
