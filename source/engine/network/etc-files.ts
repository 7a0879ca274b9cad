// The files every container gets generated in its own directory and bound over its /etc:
// hostname, hosts and resolv.conf (docker's way: they never land in the container's layer).
import fs from 'node:fs';

const LOCALHOST = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

export interface HostsInput {
  hostname: string;
  name: string;
  own?: Array<{ ip: string; aliases: string[] }>; // its address on each network, with its aliases there (user networks)
  extraHosts: string[]; // "name:ip"
  peers: Array<{ ip: string; name: string; id: string }>; // other containers on a user network
  base?: string; // --network host: the host's own /etc/hosts instead of the localhost lines
}

export function hostsFile(h: HostsInput): string {
  const lines = h.base !== undefined ? [h.base.replace(/\n$/, '')] : [...LOCALHOST];
  for (const entry of h.extraHosts) {
    const colon = entry.indexOf(':');
    lines.push(`${entry.slice(colon + 1)}\t${entry.slice(0, colon)}`);
  }
  // One line per network, as docker's; its own aliases too: a compose service reaches itself by
  // its service name, as under docker.
  for (const o of h.own ?? []) lines.push(`${o.ip}\t${[...new Set([h.hostname, h.name, ...o.aliases].filter(Boolean))].join(' ')}`);
  for (const p of h.peers) lines.push(`${p.ip}\t${p.name} ${p.id.slice(0, 12)}`);
  return `${lines.join('\n')}\n`;
}

export interface ResolverSettings {
  search: string[]; // --dns-search ('.' alone: no search line at all)
  options: string[]; // --dns-option
}

// As docker: the host's resolver unless --dns, without loopback servers that a container
// in its own namespace cannot reach; Google's when nothing is left. --dns-search and
// --dns-option replace the host's search/domain and options lines.
export function resolvConf(dns: string[], hostNetwork: boolean, hostFile = '/etc/resolv.conf', own: ResolverSettings = { search: [], options: [] }): string {
  let text = '';
  try { text = fs.readFileSync(hostFile, 'utf8'); } catch { /* no host resolver */ }
  const hostSearch = text.split('\n').filter((l) => /^\s*(search|domain)\b/.test(l));
  const hostOptions = text.split('\n').filter((l) => /^\s*options\b/.test(l));
  const search = own.search.length === 0 ? hostSearch : own.search.every((s) => s === '.') ? [] : [`search ${own.search.filter((s) => s !== '.').join(' ')}`];
  const options = own.options.length === 0 ? hostOptions : [`options ${own.options.join(' ')}`];
  const others = [...search, ...options];
  let servers = dns.length > 0 ? dns : text.split('\n').map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => !!s);
  if (!hostNetwork) servers = servers.filter((s) => !/^127\./.test(s) && s !== '::1');
  if (servers.length === 0 && !hostNetwork) servers = ['8.8.8.8', '8.8.4.4'];
  return [...others, ...servers.map((s) => `nameserver ${s}`)].join('\n') + '\n';
}

/** Rewrites in place (same inode): the file is bind-mounted into a running container. */
export function writeInPlace(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o644 });
}
