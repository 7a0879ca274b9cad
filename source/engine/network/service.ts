// Networking of containers: which namespace a container gets (bridge, a user network, host,
// none), its sandbox and address, its published ports and its /etc files; the network
// objects themselves (create, ls, inspect, rm, prune); and the cleanup of everything a
// container had once it exits, even when no strata process was there to see it.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, EndpointConfig, NetworkAttachment, NetworkCreateOptions, NetworkRecord, PublishedPort } from '../api.js';
import { EngineError } from '../errors.js';
import type { SpecEntries } from '../runtime/run-spec.js';
import { attachmentsOf, endpointsOf, isBridgedMode, networkModeOf, networkNamesOf } from '../docker-shape/container-networks.js';
import { hostsFile, resolvConf, writeInPlace } from './etc-files.js';
import { addPortRules, removeContainerRules, removeTable, replaceTable } from './firewall.js';
import { linkExists } from './host-tools.js';
import { allocate, members, release, releaseIp, type Allocation } from './ipam.js';
import { NetworkStore } from './network-store.js';
import { resolvePorts } from './ports.js';
import { inUserNamespace } from '../rootless/mode.js';
import { SLIRP_DNS, SLIRP_MODE, slirpRun } from '../rootless/slirp.js';
import { createEmptySandbox, createSandbox, destroySandbox, ensureBridge, hostVethName, macFor, removeBridge } from './sandbox.js';
import { plugVeth, routeDefaultVia, unplugVeth, type NamespaceRef } from './hot-plug.js';
import { isMountPoint } from '../../native.js';
import { withFileLockSync } from '../store/lock.js';

export { networkModeOf };

/** What networking needs to know about containers, from the container service. */
export interface ContainerView {
  read(id: string): ContainerRecord | undefined;
  isLive(id: string): boolean; // its shim runs (or a start of it is under way elsewhere)
  dir(id: string): string;
  runDir(id: string): string;
  all(): ContainerRecord[];
}

export interface PreparedNetwork {
  entries: SpecEntries; // netns, umount and the /etc binds
  netns?: string; // the namespace the container joins: its bound sandbox or another container's (none for --network host)
  attachments: NetworkAttachment[]; // eth0 first: it has the default route and the published ports
}

function pidAlive(pid: number): boolean {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

function interfaceIndex(a: NetworkAttachment): number {
  return Number((a.interfaceName ?? 'eth0').slice(3));
}

export class NetworkService {
  readonly store: NetworkStore;
  // Joined by this process, shim not yet running: not stale to a listing that runs meanwhile.
  private readonly starting = new Set<string>();

  constructor(root: string, private readonly containers: ContainerView) {
    this.store = new NetworkStore(root);
  }

  // ---- network objects ------------------------------------------------------------------

  create(name: string, opts?: NetworkCreateOptions): NetworkRecord { return this.store.create(name, opts); }

  list(): NetworkRecord[] {
    this.reconcileAll();
    return this.store.all();
  }

  inspect(ref: string) {
    const network = this.store.find(ref);
    const containers = network.driver === 'bridge'
      ? this.liveMembers(network).map((m) => {
        const r = this.containers.read(m.id);
        const mac = r && attachmentsOf(r).find((a) => a.network === network.name)?.macAddress;
        return { id: m.id, name: r?.name ?? '', ipAddress: m.ip, macAddress: mac || macFor(m.ip) };
      })
      : this.containers.all().filter((r) => r.state.running && networkModeOf(r) === network.name).map((r) => ({ id: r.id, name: r.name, ipAddress: '', macAddress: '' }));
    return { network, containers };
  }

  remove(ref: string): void {
    const net = this.store.find(ref);
    if (net.builtin) throw new EngineError(`${net.name} is a pre-defined network and cannot be removed`, 'invalid');
    withFileLockSync(this.store.lockFile(net.name), () => {
      this.reconcile(net);
      const live = members(this.store.ipamDir(net.name));
      if (live.length > 0) throw new EngineError(`error while removing network: network ${net.name} id ${net.id} has active endpoints`, 'conflict');
      removeTable(net);
      removeBridge(net);
    });
    this.store.remove(net);
  }

  /** Removes user networks no container refers to; returns their names. */
  prune(): string[] {
    const used = new Set(this.containers.all().flatMap(networkNamesOf));
    const removed: string[] = [];
    for (const net of this.store.stored()) {
      if (net.builtin || used.has(net.name) || used.has(net.id)) continue;
      try { this.remove(net.name); removed.push(net.name); } catch { /* in use after all */ }
    }
    return removed;
  }

  /** Checked at create: the network must exist (docker refuses then, not at start). */
  validate(mode: string, extraHosts: string[]): string {
    for (const h of extraHosts) {
      if (!/^[^:\s]+:\S+$/.test(h)) throw new EngineError(`invalid argument "${h}" for "--add-host" flag: expected HOST:IP`, 'invalid');
    }
    if (!isBridgedMode(mode)) return mode; // container:ID resolved by the container service
    return this.store.find(mode).name;
  }

  // ---- a container joins / leaves --------------------------------------------------------

  prepare(record: ContainerRecord): PreparedNetwork {
    const mode = networkModeOf(record);
    if (mode.startsWith('container:')) return this.shareWith(record, mode.slice('container:'.length));
    if (mode.startsWith('container:')) return this.shareWith(record, mode.slice('container:'.length));
    const dir = this.containers.dir(record.id);
    const etc = { hostname: path.join(dir, 'hostname'), hosts: path.join(dir, 'hosts'), resolv: path.join(dir, 'resolv.conf') };
    writeInPlace(etc.hostname, `${record.config.hostname}\n`);
    writeInPlace(etc.resolv, resolvConf(record.dns ?? [], mode === 'host', undefined, { search: record.hostConfig.dnsSearch ?? [], options: record.hostConfig.dnsOptions ?? [] }));
    const entries: SpecEntries = [];
    let attachments: NetworkAttachment[] = [];
    let netns: string | undefined;
    const endpoints = endpointsOf(record);
    if (mode === 'host') {
      let hostHosts = '';
      try { hostHosts = fs.readFileSync('/etc/hosts', 'utf8'); } catch { /* none */ }
      writeInPlace(etc.hosts, hostsFile({ hostname: '', name: '', extraHosts: record.extraHosts ?? [], peers: [], base: hostHosts }));
    } else if (mode === SLIRP_MODE) {
      const run = slirpRun(this.containers.runDir(record.id), record.id, this.resolveOwnPorts(record));
      attachments = [run.attachment];
      entries.push(...run.entries);
      writeInPlace(etc.resolv, resolvConf(record.dns?.length ? record.dns : [SLIRP_DNS], false, undefined, { search: record.hostConfig.dnsSearch ?? [], options: record.hostConfig.dnsOptions ?? [] }));
      writeInPlace(etc.hosts, hostsFile({ hostname: record.config.hostname, name: record.name, own: [{ ip: run.attachment.ipAddress, aliases: [] }], extraHosts: record.extraHosts ?? [], peers: [] }));
    } else if (endpoints.length === 0) {
      // --network none: a bound namespace of its own, so that networks connected while it runs
      // stay when its restart policy runs it again. In a user namespace the container makes its own
      // (a host-owned one would refuse it net.* sysctls), and so does rootless strata (its thread
      // could not setns back into the host-owned namespace it came from).
      if (record.hostConfig.usernsMode !== 'auto' && !inUserNamespace()) {
        netns = this.netnsFile(record.id);
        createEmptySandbox(netns, record.id);
      }
      writeInPlace(etc.hosts, this.hostsContent(record));
    } else {
      netns = this.netnsFile(record.id);
      attachments = this.joinAll(record, endpoints, netns);
    }
    if (netns) entries.push(['netns', netns], ['umount', netns]);
    for (const [file, target] of [[etc.resolv, '/etc/resolv.conf'], [etc.hostname, '/etc/hostname'], [etc.hosts, '/etc/hosts']]) {
      entries.push(['bind', `${file}\t${target}\trw,nosuid,nodev,noexec`]);
    }
    return { entries, netns, attachments };
  }

  /** --network container:ID: that container's namespace and its /etc files (hosts, resolv.conf, hostname), as docker shares them. */
  private shareWith(record: ContainerRecord, otherId: string): PreparedNetwork {
    const other = this.containers.read(otherId);
    if (!other) throw new EngineError(`No such container: ${otherId} (joining its network namespace)`, 'not-found');
    if (!other.state.running || !pidAlive(other.state.pid)) throw new EngineError(`cannot join network of a non running container: ${other.id}`, 'conflict');
    const netns = `/proc/${other.state.pid}/ns/net`;
    const dir = this.containers.dir(other.id);
    const entries: SpecEntries = [['netns', netns]];
    for (const [file, target] of [['resolv.conf', '/etc/resolv.conf'], ['hostname', '/etc/hostname'], ['hosts', '/etc/hosts']]) {
      entries.push(['bind', `${path.join(dir, file)}\t${target}\trw,nosuid,nodev,noexec`]);
    }
    return { entries, netns, attachments: [] };
  }

  /** eth0 in a new sandbox for the first network, eth1… plugged in for the others; the hosts files of all. */
  private joinAll(record: ContainerRecord, endpoints: EndpointConfig[], netnsFile: string): NetworkAttachment[] {
    this.starting.add(record.id);
    const attachments: NetworkAttachment[] = [];
    try {
      endpoints.forEach((ep, index) => {
        attachments.push(this.attach(record, ep, index, { netnsFile, pid: 0 }, index === 0));
      });
    } catch (err) {
      destroySandbox(netnsFile, record.id);
      for (const a of attachments) this.leave(record.id, a);
      this.starting.delete(record.id);
      throw err;
    }
    this.writeHostsOfAll(record, attachments);
    return attachments;
  }

  /**
   * One network: an address from its IPAM, and ethN — eth0 in a new sandbox at a start, otherwise
   * plugged into the namespace. The first network gets the default route and the published ports.
   */
  private attach(record: ContainerRecord, ep: EndpointConfig, index: number, target: NamespaceRef, first: boolean): NetworkAttachment {
    const net = this.store.find(ep.network);
    if (net.driver !== 'bridge') throw new EngineError(`container ${record.name} cannot be connected to network ${net.name} beside others`, 'invalid');
    const create = index === 0 && target.pid === 0;
    return withFileLockSync(this.store.lockFile(net.name), () => {
      this.reconcile(net);
      const ipamDir = this.store.ipamDir(net.name);
      if (!linkExists(net.bridge)) {
        replaceTable(net); // first: a bridge without its table is never left by a crash
        ensureBridge(net);
      }
      const ip = allocate(net, ipamDir, record.id, ep.ipv4Address);
      const mac = ep.macAddress || macFor(ip);
      const ifname = `eth${index}`;
      const hostVeth = hostVethName(record.id, index);
      let ports: PublishedPort[] = [];
      try {
        if (first) ports = this.resolveOwnPorts(record);
        if (create) createSandbox({ containerId: record.id, ip, net, netnsFile: target.netnsFile!, mac });
        else plugVeth({ target, hostVeth, ifname, net, ip, mac, defaultRoute: first });
        addPortRules(net, record.id, ip, ports);
      } catch (err) {
        if (ports.length) removeContainerRules(net, new Set([record.id]));
        if (!create) try { unplugVeth(hostVeth); } catch { /* never made */ }
        releaseIp(ipamDir, ip);
        throw err;
      }
      return {
        network: net.name, networkId: net.id, bridge: net.bridge, interfaceName: ifname, ipAddress: ip, prefixLen: Number(net.subnet.split('/')[1]),
        gateway: net.gateway, macAddress: mac, sandboxKey: target.netnsFile ?? `/proc/${target.pid}/ns/net`, ports,
      };
    });
  }

  /** Its address and rules on one network go (the interface is the caller's). */
  private leave(id: string, a: NetworkAttachment): void {
    let net: NetworkRecord;
    try { net = this.store.find(a.network); } catch { return; }
    withFileLockSync(this.store.lockFile(net.name), () => {
      if (a.ports.length) removeContainerRules(net, new Set([id]));
      release(this.store.ipamDir(net.name), id);
    });
  }

  private resolveOwnPorts(record: ContainerRecord): PublishedPort[] {
    return resolvePorts(
      { mappings: record.ports ?? [], publishAll: !!record.publishAll, exposed: record.exposedPorts ?? [] },
      () => this.portsInUse(record.id),
    );
  }

  // ---- hot-plug: a running container joins / leaves ---------------------------------------

  /** The namespace of a running container: its bound sandbox, or (started before it had one) its process's. */
  private namespaceOf(record: ContainerRecord): NamespaceRef {
    const netnsFile = this.netnsFile(record.id);
    let bound = false;
    try { bound = fs.existsSync(netnsFile) && isMountPoint(netnsFile); } catch { /* not there */ }
    return { ...(bound ? { netnsFile } : {}), pid: record.state.pid };
  }

  /**
   * `network connect` of a running container (`record` has the new endpoint already): the next
   * free ethN, an address, the hosts files. On no network before, it is its first: the default
   * route and the published ports go through it.
   */
  connectRunning(record: ContainerRecord, ep: EndpointConfig): NetworkAttachment {
    const current = attachmentsOf(record);
    const used = new Set(current.map(interfaceIndex));
    let index = 0;
    while (used.has(index)) index++;
    const attachment = this.attach(record, ep, index, this.namespaceOf(record), current.length === 0);
    this.writeHostsOfAll(record, [...current, attachment]);
    return attachment;
  }

  /**
   * `network disconnect` of a running container: that interface, address, rules and the peers'
   * entries go; the namespace, the process and its other networks stay. When it was the first
   * network, the next one takes over the default route and the published ports (docker moves
   * them to the new gateway endpoint). Returns its attachments left, the first first.
   */
  disconnectRunning(record: ContainerRecord, network: string): NetworkAttachment[] {
    const all = attachmentsOf(record);
    const gone = all.find((a) => a.network === network);
    if (!gone) return all;
    this.leave(record.id, gone);
    unplugVeth(hostVethName(record.id, interfaceIndex(gone)));
    const rest = all.filter((a) => a !== gone);
    if (gone === all[0] && rest.length > 0) {
      const next = rest[0];
      routeDefaultVia(this.namespaceOf(record), next.interfaceName ?? 'eth0', next.gateway);
      const net = this.store.find(next.network);
      withFileLockSync(this.store.lockFile(net.name), () => addPortRules(net, record.id, next.ipAddress, gone.ports));
      rest[0] = { ...next, ports: gone.ports };
    }
    const left = { ...record, hostConfig: { ...record.hostConfig, networks: endpointsOf(record).filter((e) => e.network !== network) } };
    this.writeHostsOfAll(left, rest);
    this.refreshPeers(network, record.id);
    return rest;
  }

  /** Undoes prepare(): the sandbox, and on each network its rules, address and peers' hosts entries. Never throws. */
  release(record: ContainerRecord): void {
    this.starting.delete(record.id);
    if (networkModeOf(record) === 'host') return;
    const netnsFile = this.netnsFile(record.id);
    // the container has exited, so unmounting the namespace drops its last reference: the
    // kernel removes the veth pairs then, without the ~10 ms a synchronous delete blocks for
    if (fs.existsSync(netnsFile)) destroySandbox(netnsFile, record.id, false);
    const attachments = attachmentsOf(record);
    const names = new Set([...endpointsOf(record).map((e) => e.network), ...attachments.map((a) => a.network)]);
    for (const name of names) {
      let net: NetworkRecord;
      try { net = this.store.find(name); } catch { continue; }
      if (net.driver !== 'bridge') continue;
      // released already (at exit, before this rm): the address is the sign of what is left
      if (!members(this.store.ipamDir(net.name)).some((m) => m.id === record.id)) continue;
      // listing the table costs a run of `nft`: skip it when the container is known to have no rules there
      const known = attachments.find((a) => a.network === net.name);
      const hadRules = known ? known.ports.length > 0 : true;
      try {
        withFileLockSync(this.store.lockFile(net.name), () => this.teardown(net, [record.id], [netnsFile], hadRules, true));
      } catch { /* the network's directory is gone: nothing of it is left to undo */ }
    }
  }

  private netnsFile(id: string): string {
    return path.join(this.containers.runDir(id), 'netns');
  }

  private teardown(net: NetworkRecord, ids: string[], netnsFiles: string[], rules = true, kernelRemovesVeths = false): void {
    const ipamDir = this.store.ipamDir(net.name);
    // each step on its own: one that fails must not keep the address and the bridge forever
    const attempt = (fn: () => void) => { try { fn(); } catch { /* retried by the next reconcile */ } };
    if (rules) attempt(() => removeContainerRules(net, new Set(ids)));
    ids.forEach((id, k) => attempt(() => destroySandbox(netnsFiles[k] ?? this.netnsFile(id), id, !kernelRemovesVeths)));
    for (const id of ids) release(ipamDir, id);
    // The bridge and its table stay while the network exists, as docker0 does: setting them up
    // again (a run of `nft`, the bridge's address) would cost every next start tens of ms.
    if (!net.builtin) for (const m of members(ipamDir)) this.refreshHosts(m.id);
  }

  /** Drops what containers that are gone left on a network (a crash, a shim that died). Under the network's lock. */
  private reconcile(net: NetworkRecord): void {
    const all = members(this.store.ipamDir(net.name));
    const stale = all.filter((m) => this.isStale(m));
    if (stale.length > 0) this.teardown(net, stale.map((m) => m.id), []);
  }

  /** Takes down the bridge and table of every network no container uses; the next start sets them up again. */
  releaseIdle(): string[] {
    const released: string[] = [];
    for (const net of this.store.stored()) {
      if (net.driver !== 'bridge') continue;
      withFileLockSync(this.store.lockFile(net.name), () => {
        this.reconcile(net);
        if (members(this.store.ipamDir(net.name)).length > 0 || !linkExists(net.bridge)) return;
        removeTable(net);
        removeBridge(net);
        released.push(net.name);
      });
    }
    return released;
  }

  /** At every listing: cheap when nothing is stale (a few file reads, no tools run). */
  reconcileAll(): void {
    for (const net of this.store.stored()) {
      if (net.driver !== 'bridge') continue;
      const all = members(this.store.ipamDir(net.name));
      if (all.some((m) => this.isStale(m))) {
        try { withFileLockSync(this.store.lockFile(net.name), () => this.reconcile(net)); } catch { /* retried next time */ }
      }
    }
  }

  private isStale(m: Allocation): boolean {
    if (!m.id) return !pidAlive(m.pid);
    if (this.containers.isLive(m.id)) {
      this.starting.delete(m.id);
      return false;
    }
    if (this.starting.has(m.id)) return false;
    return !(m.pid !== process.pid && pidAlive(m.pid));
  }

  private liveMembers(net: NetworkRecord): Allocation[] {
    return members(this.store.ipamDir(net.name)).filter((m) => m.id && !this.isStale(m));
  }

  private portsInUse(exceptId: string): PublishedPort[] {
    return this.containers.all().filter((r) => r.id !== exceptId && r.state.running).flatMap((r) => r.networkSettings?.ports ?? []);
  }

  // Peers by name: on user networks every member's /etc/hosts lists the others (docker's
  // embedded DNS answers the same question; a file is enough for busybox and libc). A container
  // on several networks finds the peers of each, and has a line for each address of its own.
  private hostsContent(record: ContainerRecord, known: NetworkAttachment[] = attachmentsOf(record)): string {
    const own: Array<{ ip: string; aliases: string[] }> = [];
    const peers: Array<{ ip: string; name: string; id: string }> = [];
    for (const ep of endpointsOf(record)) {
      let net: NetworkRecord;
      try { net = this.store.find(ep.network); } catch { continue; }
      // its address as attached, else (a start under way elsewhere) as allocated: reading the
      // allocations costs a file per container on the network
      const ip = known.find((a) => a.network === net.name)?.ipAddress ?? members(this.store.ipamDir(net.name)).find((m) => m.id === record.id)?.ip;
      if (!ip) continue;
      own.push({ ip, aliases: net.builtin ? [] : ep.aliases ?? [] });
      if (!net.builtin) peers.push(...this.peersOf(net, record.id));
    }
    return hostsFile({ hostname: record.config.hostname, name: record.name, own, extraHosts: record.extraHosts ?? [], peers });
  }

  /** Its own hosts file and those of its peers on each of its user networks. */
  private writeHostsOfAll(record: ContainerRecord, attachments: NetworkAttachment[]): void {
    writeInPlace(path.join(this.containers.dir(record.id), 'hosts'), this.hostsContent(record, attachments));
    for (const ep of endpointsOf(record)) this.refreshPeers(ep.network, record.id);
  }

  private refreshPeers(network: string, id: string): void {
    let net: NetworkRecord;
    try { net = this.store.find(network); } catch { return; }
    if (net.builtin) return;
    for (const m of members(this.store.ipamDir(net.name))) if (m.id && m.id !== id) this.refreshHosts(m.id);
  }

  private peersOf(net: NetworkRecord, id: string) {
    return members(this.store.ipamDir(net.name))
      .filter((m) => m.id && m.id !== id)
      .map((m) => {
        const peer = this.containers.read(m.id);
        const aliases = peer ? endpointsOf(peer).find((e) => e.network === net.name)?.aliases ?? [] : [];
        const names = peer ? [peer.name, ...aliases] : [m.id.slice(0, 12)];
        return { ip: m.ip, id: m.id, name: names.join(' ') };
      });
  }

  private refreshHosts(id: string): void {
    const r = this.containers.read(id);
    const file = path.join(this.containers.dir(id), 'hosts');
    if (!r || !fs.existsSync(file)) return;
    writeInPlace(file, this.hostsContent(r));
  }
}
