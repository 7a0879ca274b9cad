// docker's -p/--publish, --expose, -v/--volume, --mount and --tmpfs syntaxes, parsed into the
// engine's typed requests. Every error names the flag and the value.
import type { MountRequest, PortMapping } from '../engine/api.js';
import { invalidValue } from './args.js';
import { parseRamBytes } from '../engine/format/size.js';

function portRange(text: string, flag: string, raw: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || hi < lo) throw invalidValue(flag, raw, `invalid port "${text}"`);
  return [lo, hi];
}

// [ip:][hostPort[-end]:]containerPort[-end][/tcp|udp]
export function parsePublish(raw: string): PortMapping[] {
  const flag = '--publish';
  const slash = raw.lastIndexOf('/');
  const proto = slash === -1 ? 'tcp' : raw.slice(slash + 1);
  if (proto !== 'tcp' && proto !== 'udp') throw invalidValue(flag, raw, `invalid protocol "${proto}" (tcp or udp)`);
  const parts = (slash === -1 ? raw : raw.slice(0, slash)).split(':');
  if (parts.length > 3) throw invalidValue(flag, raw, 'expected [ip:]hostPort:containerPort[/protocol]');
  const container = parts.pop()!;
  const host = parts.pop() ?? '';
  const hostIp = parts.pop() ?? '';
  if (hostIp !== '' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(hostIp)) throw invalidValue(flag, raw, `invalid IP address "${hostIp}" (IPv4 only)`);
  const [cLo, cHi] = portRange(container, flag, raw);
  const hostRange = host === '' ? undefined : portRange(host, flag, raw);
  const count = cHi - cLo + 1;
  if (hostRange && hostRange[1] - hostRange[0] + 1 !== count && hostRange[0] !== hostRange[1]) {
    throw invalidValue(flag, raw, 'the host and container port ranges differ in length');
  }
  const out: PortMapping[] = [];
  for (let k = 0; k < count; k++) {
    const hostPort = hostRange ? (hostRange[0] === hostRange[1] && count === 1 ? hostRange[0] : hostRange[0] + k) : 0;
    out.push({ containerPort: cLo + k, protocol: proto, ...(hostIp ? { hostIp } : {}), hostPort });
  }
  return out;
}

export function parseExpose(raw: string): string[] {
  const slash = raw.indexOf('/');
  const proto = slash === -1 ? 'tcp' : raw.slice(slash + 1);
  if (proto !== 'tcp' && proto !== 'udp') throw invalidValue('--expose', raw, `invalid protocol "${proto}"`);
  const [lo, hi] = portRange(slash === -1 ? raw : raw.slice(0, slash), '--expose', raw);
  const out: string[] = [];
  for (let p = lo; p <= hi; p++) out.push(`${p}/${proto}`);
  return out;
}

// -v SRC:DST[:ro|rw], -v DST (an anonymous volume). A SRC starting with / is a bind.
export function parseVolumeFlag(raw: string): MountRequest {
  const parts = raw.split(':');
  let mode: string | undefined;
  if (parts.length === 3 || (parts.length === 2 && !parts[1].startsWith('/'))) mode = parts.pop();
  if (parts.length > 2 || parts.some((p) => p === '')) throw invalidValue('--volume', raw, 'expected [SOURCE:]DESTINATION[:ro|rw]');
  const readOnly = mode === undefined ? false : modeReadOnly(mode, raw);
  const idmap = mode?.split(',').includes('idmap') ?? false;
  if (parts.length === 1) return { type: 'volume', target: parts[0], readOnly };
  const [source, target] = parts;
  if (!target.startsWith('/')) throw invalidValue('--volume', raw, `invalid mount path "${target}": it must be absolute`);
  const type = source.startsWith('/') ? 'bind' : 'volume';
  if (idmap && type !== 'bind') throw invalidValue('--volume', raw, 'idmap is for a host directory (a named volume is always idmapped)');
  return { type, source, target, readOnly, ...(idmap ? { idmap } : {}) };
}

function modeReadOnly(mode: string, raw: string): boolean {
  const opts = mode.split(',');
  for (const o of opts) if (!['ro', 'rw', 'z', 'Z', 'idmap'].includes(o)) throw invalidValue('--volume', raw, `invalid mode "${mode}"`);
  return opts.includes('ro');
}

// --mount type=bind|volume|tmpfs,source=…,target=…,readonly,tmpfs-size=…,tmpfs-mode=…
export function parseMountFlag(raw: string): MountRequest {
  const fields = new Map<string, string>();
  for (const field of raw.split(',')) {
    const eq = field.indexOf('=');
    fields.set((eq === -1 ? field : field.slice(0, eq)).trim().toLowerCase(), eq === -1 ? 'true' : field.slice(eq + 1));
  }
  const type = fields.get('type') ?? 'volume';
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw invalidValue('--mount', raw, `unsupported mount type "${type}"`);
  const target = fields.get('target') ?? fields.get('destination') ?? fields.get('dst');
  if (!target) throw invalidValue('--mount', raw, 'target is required');
  const source = fields.get('source') ?? fields.get('src');
  const roText = fields.get('readonly') ?? fields.get('ro');
  const m: MountRequest = { type, target, readOnly: roText !== undefined && roText !== 'false' && roText !== '0' };
  if (type === 'bind' && !source) throw invalidValue('--mount', raw, 'source is required for a bind mount');
  if (type === 'tmpfs' && source) throw invalidValue('--mount', raw, 'a tmpfs mount has no source');
  if (source) m.source = source;
  const size = fields.get('tmpfs-size');
  if (size !== undefined) m.tmpfsSizeBytes = parseRamBytes(size, '--mount tmpfs-size');
  const mode = fields.get('tmpfs-mode');
  if (mode !== undefined) {
    if (!/^[0-7]{3,4}$/.test(mode)) throw invalidValue('--mount', raw, `invalid tmpfs-mode "${mode}"`);
    m.tmpfsMode = parseInt(mode, 8);
  }
  for (const key of fields.keys()) {
    if (!['type', 'target', 'destination', 'dst', 'source', 'src', 'readonly', 'ro', 'tmpfs-size', 'tmpfs-mode'].includes(key)) throw invalidValue('--mount', raw, `unknown option "${key}"`);
  }
  return m;
}

// --tmpfs /path[:size=64m,mode=1777]
export function parseTmpfsFlag(raw: string): MountRequest {
  const colon = raw.indexOf(':');
  const target = colon === -1 ? raw : raw.slice(0, colon);
  const m: MountRequest = { type: 'tmpfs', target };
  for (const opt of colon === -1 ? [] : raw.slice(colon + 1).split(',')) {
    const [k, v = ''] = opt.split('=');
    if (k === 'size') m.tmpfsSizeBytes = parseRamBytes(v, '--tmpfs size');
    else if (k === 'mode' && /^[0-7]{3,4}$/.test(v)) m.tmpfsMode = parseInt(v, 8);
    else if (k === 'ro') m.readOnly = true;
    else if (!['rw', 'nosuid', 'nodev', 'noexec', 'exec'].includes(k)) throw invalidValue('--tmpfs', raw, `unsupported option "${opt}"`);
  }
  return m;
}

export function formatPort(p: { containerPort: number; protocol: string; hostIp: string; hostPort: number }): string {
  return `${p.containerPort}/${p.protocol} -> ${p.hostIp}:${p.hostPort}`;
}
