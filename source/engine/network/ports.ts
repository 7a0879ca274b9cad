// Published ports: a container's requests (-p, -P) turned into concrete host ports, refusing a
// port another container or a host program already has, the way docker does.
import fs from 'node:fs';
import type { PortMapping, PublishedPort } from '../api.js';
import { EngineError } from '../errors.js';

export function parseExposed(text: string): { port: number; protocol: 'tcp' | 'udp' } | undefined {
  const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) return undefined;
  return { port: Number(m[1]), protocol: (m[2] ?? 'tcp') as 'tcp' | 'udp' };
}

/** Ports bound by host programs (LISTEN for tcp, any bound socket for udp). */
export function hostBoundPorts(protocol: 'tcp' | 'udp'): Set<number> {
  const ports = new Set<number>();
  for (const file of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    let text = '';
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      if (protocol === 'tcp' && cols[3] !== '0A') continue;
      ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}

function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo > 0 && hi >= lo) return [lo, hi];
  } catch { /* docker's defaults */ }
  return [32768, 60999];
}

export interface PortRequest {
  mappings: PortMapping[];
  publishAll: boolean;
  exposed: string[]; // "80/tcp"
}

/** Concrete host ports; `publishedElsewhere` gives the ports other running containers have. */
export function resolvePorts(req: PortRequest, publishedElsewhere: () => PublishedPort[]): PublishedPort[] {
  const out: PublishedPort[] = [];
  const wanted = [...req.mappings];
  if (req.publishAll) {
    for (const e of req.exposed) {
      const p = parseExposed(e);
      if (p && !wanted.some((w) => w.containerPort === p.port && w.protocol === p.protocol)) wanted.push({ containerPort: p.port, protocol: p.protocol });
    }
  }
  if (wanted.length === 0) return out;
  const taken = publishedElsewhere();
  // read only when needed: /proc/net/* is slow to read on some kernels (tens of ms)
  const boundCache: Partial<Record<'tcp' | 'udp', Set<number>>> = {};
  const bound = (protocol: 'tcp' | 'udp') => (boundCache[protocol] ??= hostBoundPorts(protocol));
  const inUse = (port: number, protocol: 'tcp' | 'udp', hostIp: string) =>
    [...taken, ...out].some((t) => t.hostPort === port && t.protocol === protocol && (t.hostIp === '0.0.0.0' || hostIp === '0.0.0.0' || t.hostIp === hostIp));
  const [lo, hi] = ephemeralRange();
  for (const m of wanted) {
    const hostIp = m.hostIp || '0.0.0.0';
    let hostPort = m.hostPort ?? 0;
    if (hostPort === 0) {
      const span = hi - lo + 1;
      const start = Math.floor(Math.random() * span);
      for (let k = 0; k < span && hostPort === 0; k++) {
        const candidate = lo + ((start + k) % span);
        if (!inUse(candidate, m.protocol, hostIp) && !bound(m.protocol).has(candidate)) hostPort = candidate;
      }
      if (hostPort === 0) throw new EngineError('no free host port left to publish on', 'conflict');
    } else if (inUse(hostPort, m.protocol, hostIp)) {
      throw new EngineError(`Bind for ${hostIp}:${hostPort} failed: port is already allocated`, 'conflict');
    } else if (bound(m.protocol).has(hostPort)) {
      throw new EngineError(`cannot publish ${hostIp}:${hostPort}/${m.protocol}: address already in use by a host program`, 'conflict');
    }
    out.push({ containerPort: m.containerPort, protocol: m.protocol, hostIp, hostPort });
  }
  return out;
}
