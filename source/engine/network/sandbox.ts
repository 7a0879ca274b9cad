// A container's network sandbox: a network namespace bound to a file (the shim's `netns`),
// made and configured before the container process exists, with one end of a veth pair as
// its eth0 and the other end on the network's bridge. Unmounting the file when the container
// exits destroys the namespace, and with it both ends of the pair.
import fs from 'node:fs';
import path from 'node:path';
import { createEmptySandbox as nativeCreateEmptySandbox, createSandbox as nativeCreateSandbox, deleteLink, isMountPoint, umount } from '../../native.js';
import type { NetworkRecord } from '../api.js';
import { EngineError } from '../errors.js';
import { parseCidr, parseIp, routeConflict } from './cidr.js';
import { linkExists, runTool } from './host-tools.js';

/** The host end of its ethN: sv<id12> for eth0, then sv<id12>1… (interface names hold 15 bytes). */
export function hostVethName(containerId: string, index = 0): string {
  return `sv${containerId.slice(0, 12)}${index === 0 ? '' : index.toString(36)}`;
}

/** Every host end a container has now, of whichever of its interfaces. */
export function hostVethsOf(containerId: string): string[] {
  const prefix = hostVethName(containerId);
  let names: string[] = [];
  try { names = fs.readdirSync('/sys/class/net'); } catch { /* no sysfs: nothing to find */ }
  return names.filter((n) => n.startsWith(prefix) && n.length <= prefix.length + 1);
}

// docker's scheme: 02:42 and the four bytes of the address, so the MAC never needs reading back
export function macFor(ip: string): string {
  const n = parseIp(ip) ?? 0;
  return ['02', '42', ...[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

export function ensureBridge(net: NetworkRecord): void {
  if (linkExists(net.bridge)) return;
  const clash = routeConflict(parseCidr(net.subnet), [net.bridge]);
  if (clash) throw new Error(`network ${net.name}: its subnet ${net.subnet} overlaps the host route ${clash}`);
  const prefix = net.subnet.split('/')[1];
  runTool('ip', ['-batch', '-'], [
    `link add ${net.bridge} type bridge`,
    `addr add ${net.gateway}/${prefix} dev ${net.bridge}`,
    `link set ${net.bridge} up`,
  ].join('\n'));
  // 127.0.0.1:PORT → container: locally generated packets keep their loopback source until
  // masqueraded, which the kernel only routes out of an interface that allows it.
  fs.writeFileSync(`/proc/sys/net/ipv4/conf/${net.bridge}/route_localnet`, '1');
  if (fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '1') fs.writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
}

export function removeBridge(net: NetworkRecord): void {
  try { deleteLink(net.bridge); } catch { /* retried by the next release */ }
}

export interface SandboxSpec {
  containerId: string;
  ip: string;
  net: NetworkRecord;
  netnsFile: string; // where the namespace is bound
  mac?: string; // --mac-address; otherwise derived from the address
}

/** Namespace, veth pair, address, lo and route, by rtnetlink from the addon: no tool to start. */
export function createSandbox(s: SandboxSpec): void {
  const hostVeth = hostVethName(s.containerId);
  if (linkExists(hostVeth)) {
    try { deleteLink(hostVeth); } catch { /* retried by the next reconcile */ }
  } // left by a crash
  if (fs.existsSync(s.netnsFile)) destroySandbox(s.netnsFile, s.containerId);
  fs.mkdirSync(path.dirname(s.netnsFile), { recursive: true, mode: 0o700 });
  try {
    nativeCreateSandbox(s.netnsFile, hostVeth, s.net.bridge, s.mac || macFor(s.ip), s.ip, Number(s.net.subnet.split('/')[1]), s.net.gateway);
  } catch (err) {
    throw new EngineError(`cannot set up the network of container ${s.containerId.slice(0, 12)} on ${s.net.name}: ${(err as Error).message}`, 'internal');
  }
}

/** --network none: the namespace alone (lo up), bound so that it outlives each run and networks connected later stay. */
export function createEmptySandbox(netnsFile: string, containerId: string): void {
  if (fs.existsSync(netnsFile)) destroySandbox(netnsFile, containerId);
  fs.mkdirSync(path.dirname(netnsFile), { recursive: true, mode: 0o700 });
  try {
    nativeCreateEmptySandbox(netnsFile);
  } catch (err) {
    throw new EngineError(`cannot set up the network namespace of container ${containerId.slice(0, 12)}: ${(err as Error).message}`, 'internal');
  }
}

export function destroySandbox(netnsFile: string, containerId: string, deleteVeth = true): void {
  try { if (fs.existsSync(netnsFile) && isMountPoint(netnsFile)) umount(netnsFile, true); } catch { /* already gone */ }
  fs.rmSync(netnsFile, { force: true });
  // Gone with the namespace once nothing holds it; deleted here when something might.
  if (!deleteVeth) return;
  for (const hostVeth of hostVethsOf(containerId)) {
    try { deleteLink(hostVeth); } catch { /* retried by the next reconcile */ }
  }
}
