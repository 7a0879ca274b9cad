// A second (third…) interface in a container's namespace: `--network a --network b` at a start,
// and `network connect`/`disconnect` of a running container. A veth pair made on the host, its
// inner end moved into the namespace (the bound sandbox file, or that of the container's process
// for one started without) and configured there as ethN: address, up, and the default route
// when it is the container's first network. iproute2 and nsenter do it: the addon's sandbox call
// makes a new namespace, and this one already exists.
import type { NetworkRecord } from '../api.js';
import { deleteLink } from '../../native.js';
import { linkExists, runTool } from './host-tools.js';

/** The namespace to plug into: its bound file when it has one, otherwise its process's. */
export interface NamespaceRef {
  netnsFile?: string;
  pid: number;
}

export interface PlugSpec {
  target: NamespaceRef;
  hostVeth: string;
  ifname: string; // eth1…
  net: NetworkRecord;
  ip: string;
  mac: string;
  defaultRoute: boolean; // its first network: the default route goes through this one
}

// the inner end's name until it is ethN inside: unique on the host (15 bytes at most)
function transitName(hostVeth: string): string {
  return `st${hostVeth.slice(2)}`;
}

function inNamespace(target: NamespaceRef, batch: string[]): void {
  const enter = target.netnsFile ? [`--net=${target.netnsFile}`] : ['-t', String(target.pid), '-n'];
  runTool('nsenter', [...enter, 'ip', '-batch', '-'], `${batch.join('\n')}\n`);
}

export function plugVeth(s: PlugSpec): void {
  const inner = transitName(s.hostVeth);
  const prefix = s.net.subnet.split('/')[1];
  runTool('ip', ['-batch', '-'], [
    `link add ${s.hostVeth} type veth peer name ${inner}`,
    `link set ${s.hostVeth} master ${s.net.bridge}`,
    `link set ${s.hostVeth} up`,
    `link set ${inner} netns ${s.target.netnsFile ?? s.target.pid}`,
  ].join('\n'));
  inNamespace(s.target, [
    `link set ${inner} name ${s.ifname}`,
    `link set ${s.ifname} address ${s.mac}`,
    `addr add ${s.ip}/${prefix} brd + dev ${s.ifname}`,
    `link set ${s.ifname} up`,
    'link set lo up',
    ...(s.defaultRoute ? [`route replace default via ${s.net.gateway} dev ${s.ifname}`] : []),
  ]);
}

/** The default route through another interface: the network that gave it was disconnected. */
export function routeDefaultVia(target: NamespaceRef, ifname: string, gateway: string): void {
  inNamespace(target, [`route replace default via ${gateway} dev ${ifname}`]);
}

/** Deleting the host end takes the inner one along; either may be gone already. */
export function unplugVeth(hostVeth: string): void {
  const inner = transitName(hostVeth);
  for (const name of [hostVeth, inner]) {
    if (linkExists(name)) deleteLink(name);
  }
}
