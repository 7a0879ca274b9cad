// nftables rules, all in a table of the network's own (`table ip <bridge>`), so that nothing
// strata does or undoes can touch anybody else's rules. As docker's isolation chains, a network's
// containers reach no other strata network's (only peers on a shared network reach each other),
// except through a published port. Published ports are DNAT rules that
// live in the kernel: they keep working after the strata process exits. Each container rule
// carries the container id in its comment; removing a container removes exactly those.
import type { NetworkRecord, PublishedPort } from '../api.js';
import { runTool, tryTool } from './host-tools.js';


/** (Re)creates the network's table atomically: add + delete + define in one transaction. */
export function replaceTable(net: NetworkRecord): void {
  const t = net.bridge;
  runTool('nft', ['-f', '-'], `
add table ip ${t}
delete table ip ${t}
table ip ${t} {
  chain ports {
  }
  chain prerouting {
    type nat hook prerouting priority -100; policy accept;
    fib daddr type local jump ports
  }
  chain output {
    type nat hook output priority -100; policy accept;
    fib daddr type local jump ports
  }
  chain postrouting {
    type nat hook postrouting priority 100; policy accept;
    ip saddr ${net.subnet} oifname != "${t}" masquerade
    oifname "${t}" ip saddr 127.0.0.0/8 masquerade
    oifname "${t}" ct status dnat ip saddr ${net.subnet} masquerade
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    ct state established,related accept
    iifname "${t}" ct status dnat accept
    iifname "${t}" oifname != "${t}" oifname "strata*" drop
    iifname "${t}" accept
    oifname "${t}" ct status dnat accept
  }
}
`);
}

export function removeTable(net: NetworkRecord): void {
  tryTool('nft', ['delete', 'table', 'ip', net.bridge]);
}

export function addPortRules(net: NetworkRecord, containerId: string, ip: string, ports: PublishedPort[]): void {
  if (ports.length === 0) return;
  const lines = ports.map((p) => {
    const daddr = p.hostIp && p.hostIp !== '0.0.0.0' ? `ip daddr ${p.hostIp} ` : '';
    return `add rule ip ${net.bridge} ports ${daddr}${p.protocol} dport ${p.hostPort} dnat to ${ip}:${p.containerPort} comment "${containerId}"`;
  });
  runTool('nft', ['-f', '-'], `${lines.join('\n')}\n`);
}

interface NftRule { rule?: { chain: string; handle: number; comment?: string } }

/** Container ids that have rules in the network's table. */
export function ruleOwners(net: NetworkRecord): Map<string, Array<{ chain: string; handle: number }>> {
  const owners = new Map<string, Array<{ chain: string; handle: number }>>();
  let parsed: { nftables?: NftRule[] };
  try {
    parsed = JSON.parse(runTool('nft', ['-j', '-a', 'list', 'table', 'ip', net.bridge]));
  } catch {
    return owners;
  }
  for (const item of parsed.nftables ?? []) {
    const r = item.rule;
    if (!r?.comment || !/^[0-9a-f]{64}$/.test(r.comment)) continue;
    const list = owners.get(r.comment) ?? [];
    list.push({ chain: r.chain, handle: r.handle });
    owners.set(r.comment, list);
  }
  return owners;
}

export function removeContainerRules(net: NetworkRecord, ids: Set<string> | ((id: string) => boolean)): void {
  const doomed = typeof ids === 'function' ? ids : (id: string) => ids.has(id);
  const lines: string[] = [];
  for (const [id, rules] of ruleOwners(net)) {
    if (!doomed(id)) continue;
    for (const r of rules) lines.push(`delete rule ip ${net.bridge} ${r.chain} handle ${r.handle}`);
  }
  if (lines.length > 0) tryTool('nft', ['-f', '-'], `${lines.join('\n')}\n`);
}
