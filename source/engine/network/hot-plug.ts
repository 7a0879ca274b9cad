// `network connect`/`disconnect` of a running container: a veth pair made on the host, its inner
// end moved into the namespace the container's process lives in and configured there as eth0
// (address, up, default route), or taken away again. iproute2 and nsenter do it: the addon's
// sandbox call makes a new namespace, and this one already exists.
import type { NetworkRecord } from '../api.js';
import { deleteLink } from '../../native.js';
import { linkExists, runTool } from './host-tools.js';

export interface PlugSpec {
  pid: number; // the container's process: its network namespace is the one to plug into
  hostVeth: string;
  net: NetworkRecord;
  ip: string;
  mac: string;
}

// the inner end's name until it is eth0 inside: unique on the host (15 bytes at most)
function transitName(hostVeth: string): string {
  return `st${hostVeth.slice(2)}`;
}

export function plugVeth(s: PlugSpec): void {
  const inner = transitName(s.hostVeth);
  const prefix = s.net.subnet.split('/')[1];
  runTool('ip', ['-batch', '-'], [
    `link add ${s.hostVeth} type veth peer name ${inner}`,
    `link set ${s.hostVeth} master ${s.net.bridge}`,
    `link set ${s.hostVeth} up`,
    `link set ${inner} netns ${s.pid}`,
  ].join('\n'));
  runTool('nsenter', ['-t', String(s.pid), '-n', 'ip', '-batch', '-'], [
    `link set ${inner} name eth0`,
    `link set eth0 address ${s.mac}`,
    `addr add ${s.ip}/${prefix} brd + dev eth0`,
    'link set eth0 up',
    'link set lo up',
    `route add default via ${s.net.gateway} dev eth0`,
  ].join('\n'));
}

/** Deleting the host end takes the inner one along; either may be gone already. */
export function unplugVeth(hostVeth: string): void {
  const inner = transitName(hostVeth);
  for (const name of [hostVeth, inner]) {
    if (linkExists(name)) deleteLink(name);
  }
}
