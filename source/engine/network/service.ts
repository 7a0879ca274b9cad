// Networking of containers: which namespace a container gets (bridge, a user network, host,
// none), its sandbox and address, its published ports and its /etc files; the network
// objects themselves (create, ls, inspect, rm, prune); and the cleanup of everything a
// container had once it exits, even when no strata process was there to see it.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, NetworkAttachment, NetworkCreateOptions, NetworkRecord, PublishedPort } from '../api.js';
import { EngineError } from '../errors.js';
import type { SpecEntries } from '../runtime/run-spec.js';
import { hostsFile, resolvConf, writeInPlace } from './etc-files.js';
import { addPortRules, removeContainerRules, removeTable, replaceTable } from './firewall.js';
import { linkExists } from './host-tools.js';
import { allocate, members, release, releaseIp, type Allocation } from './ipam.js';
import { DEFAULT_NETWORK, NetworkStore } from './network-store.js';
import { resolvePorts } from './ports.js';
import { createSandbox, destroySandbox, ensureBridge, hostVethName, macFor, removeBridge } from './sandbox.js';
import { plugVeth, unplugVeth } from './hot-plug.js';
import { withFileLockSync } from '../store/lock.js';

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
  attachment?: NetworkAttachment;
  netns?: string; // the namespace joined instead of a new one: the sandbox's, or another container's
}

export function networkModeOf(record: ContainerRecord): string {
  const mode = record.hostConfig.network;
  return mode === 'private' || mode === 'default' || !mode ? DEFAULT_NETWORK : mode; // 'private': records of before
}

function isBridged(mode: string): boolean {
  return mode !== 'host' && mode !== 'none' && !mode.startsWith('container:');
}

function pidAlive(pid: number): boolean {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
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
      ? this.liveMembers(network).map((m) => ({ id: m.id, name: this.containers.read(m.id)?.name ?? '', ipAddress: m.ip, macAddress: macFor(m.ip) }))
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
    const used = new Set(this.containers.all().map(networkModeOf));
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
    if (!isBridged(mode)) return mode; // container:ID resolved by the container service

    return this.store.find(mode).name;
  }

  // ---- a container joins / leaves --------------------------------------------------------

  prepare(record: ContainerRecord): PreparedNetwork {
    const mode = networkModeOf(record);
    if (mode.startsWith('container:')) return this.shareWith(record, mode.slice('container:'.length));
    const dir = this.containers.dir(record.id);
    const etc = { hostname: path.join(dir, 'hostname'), hosts: path.join(dir, 'hosts'), resolv: path.join(dir, 'resolv.conf') };
    writeInPlace(etc.hostname, `${record.config.hostname}\n`);
    writeInPlace(etc.resolv, resolvConf(record.dns ?? [], mode === 'host', undefined, { search: record.hostConfig.dnsSearch ?? [], options: record.hostConfig.dnsOptions ?? [] }));
    const entries: SpecEntries = [];
    let attachment: NetworkAttachment | undefined;
    if (mode === 'host') {
      let hostHosts = '';
      try { hostHosts = fs.readFileSync('/etc/hosts', 'utf8'); } catch { /* none */ }
      writeInPlace(etc.hosts, hostsFile({ hostname: '', name: '', extraHosts: record.extraHosts ?? [], peers: [], base: hostHosts }));
    } else if (mode === 'none') {
      writeInPlace(etc.hosts, hostsFile({ hostname: record.config.hostname, name: record.name, extraHosts: record.extraHosts ?? [], peers: [] }));
    } else {
      attachment = this.join(record, mode, etc.hosts);
      entries.push(['netns', attachment.sandboxKey], ['umount', attachment.sandboxKey]);
    }
    for (const [file, target] of [[etc.resolv, '/etc/resolv.conf'], [etc.hostname, '/etc/hostname'], [etc.hosts, '/etc/hosts']]) {
      entries.push(['bind', `${file}\t${target}\trw,nosuid,nodev,noexec`]);
    }
    return { entries, attachment, ...(attachment ? { netns: attachment.sandboxKey } : {}) };
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
    return { entries, netns };
  }

  private join(record: ContainerRecord, mode: string, hostsPath: string): NetworkAttachment {
    const net = this.store.find(mode);
    const netnsFile = this.netnsFile(record.id);
    return withFileLockSync(this.store.lockFile(net.name), () => {
      this.reconcile(net);
      const ipamDir = this.store.ipamDir(net.name);
      if (!linkExists(net.bridge)) {
        replaceTable(net); // first: a bridge without its table is never left by a crash
        ensureBridge(net);
      }
      const ip = allocate(net, ipamDir, record.id, record.ipv4Address);
      this.starting.add(record.id);
      try {
        const ports = resolvePorts(
          { mappings: record.ports ?? [], publishAll: !!record.publishAll, exposed: record.exposedPorts ?? [] },
          () => this.portsInUse(record.id),
        );
        createSandbox({ containerId: record.id, ip, net, netnsFile, mac: record.macAddress });
        addPortRules(net, record.id, ip, ports);
        const attachment: NetworkAttachment = {
          network: net.name, networkId: net.id, bridge: net.bridge, ipAddress: ip, prefixLen: Number(net.subnet.split('/')[1]),
          gateway: net.gateway, macAddress: record.macAddress || macFor(ip), sandboxKey: netnsFile, ports,
        };
        this.writeHosts(record, net, ip, hostsPath);
        return attachment;
      } catch (err) {
        removeContainerRules(net, new Set([record.id]));
        destroySandbox(netnsFile, record.id);
        releaseIp(ipamDir, ip);
        this.starting.delete(record.id);
        throw err;
      }
    });
  }

  // ---- hot-plug: a running container joins / leaves ---------------------------------------

  /** `network connect` of a running container (on no network now): eth0 in its namespace, an address, the hosts files. */
  connectRunning(record: ContainerRecord, mode: string): NetworkAttachment {
    const net = this.store.find(mode);
    const hostVeth = hostVethName(record.id);
    return withFileLockSync(this.store.lockFile(net.name), () => {
      this.reconcile(net);
      const ipamDir = this.store.ipamDir(net.name);
      if (!linkExists(net.bridge)) {
        replaceTable(net);
        ensureBridge(net);
      }
      const ip = allocate(net, ipamDir, record.id, record.ipv4Address);
      const mac = record.macAddress || macFor(ip);
      try {
        plugVeth({ pid: record.state.pid, hostVeth, net, ip, mac });
        this.writeHosts(record, net, ip, path.join(this.containers.dir(record.id), 'hosts'));
      } catch (err) {
        try { unplugVeth(hostVeth); } catch { /* never made */ }
        releaseIp(ipamDir, ip);
        throw err;
      }
      const netnsFile = this.netnsFile(record.id);
      return {
        network: net.name, networkId: net.id, bridge: net.bridge, ipAddress: ip, prefixLen: Number(net.subnet.split('/')[1]),
        gateway: net.gateway, macAddress: mac, sandboxKey: fs.existsSync(netnsFile) ? netnsFile : `/proc/${record.state.pid}/ns/net`, ports: [],
      };
    });
  }

  /** `network disconnect` of a running container: its eth0, address, rules and peers' entries go; the namespace stays. */
  disconnectRunning(record: ContainerRecord): void {
    const net = this.store.find(record.networkSettings?.network ?? networkModeOf(record));
    withFileLockSync(this.store.lockFile(net.name), () => {
      removeContainerRules(net, new Set([record.id]));
      unplugVeth(hostVethName(record.id));
      release(this.store.ipamDir(net.name), record.id);
      if (!net.builtin) for (const m of members(this.store.ipamDir(net.name))) this.refreshHosts(m.id, net);
    });
    writeInPlace(path.join(this.containers.dir(record.id), 'hosts'), hostsFile({ hostname: record.config.hostname, name: record.name, extraHosts: record.extraHosts ?? [], peers: [] }));
  }

  /** Undoes join(): rules, sandbox, address, peers' hosts entries; the bridge goes with the last container. Never throws. */
  release(record: ContainerRecord): void {
    this.starting.delete(record.id);
    const mode = networkModeOf(record);
    if (!isBridged(mode)) return;
    let net: NetworkRecord;
    try { net = this.store.find(record.networkSettings?.network ?? mode); } catch { return; }
    if (net.driver !== 'bridge') return;
    const netnsFile = this.netnsFile(record.id);
    // released already (at exit, before this rm): the address is the sign of what is left
    const held = () => members(this.store.ipamDir(net.name)).some((m) => m.id === record.id);
    if (!fs.existsSync(netnsFile) && !held()) return;
    try {
      // listing the table costs a run of `nft`: skip it when the container is known to have no rules
      const hadRules = record.networkSettings ? record.networkSettings.ports.length > 0 : true;
      // the container has exited, so unmounting the namespace drops its last reference: the
      // kernel removes the veth pair then, without the ~10 ms a synchronous delete blocks for
      withFileLockSync(this.store.lockFile(net.name), () => this.teardown(net, [record.id], [netnsFile], hadRules, true));
    } catch { /* the network's directory is gone: nothing of it is left to undo */ }
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
    if (!net.builtin) for (const m of members(ipamDir)) this.refreshHosts(m.id, net);
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
  // embedded DNS answers the same question; a file is enough for busybox and libc).
  private writeHosts(record: ContainerRecord, net: NetworkRecord, ip: string, hostsPath: string): void {
    const peers = net.builtin ? [] : this.peersOf(net, record.id);
    writeInPlace(hostsPath, hostsFile({ hostname: record.config.hostname, name: record.name, aliases: net.builtin ? [] : record.hostConfig.networkAliases, ip, extraHosts: record.extraHosts ?? [], peers }));
    if (!net.builtin) for (const p of peers) this.refreshHosts(p.id, net);
  }

  private peersOf(net: NetworkRecord, id: string) {
    return members(this.store.ipamDir(net.name))
      .filter((m) => m.id && m.id !== id)
      .map((m) => {
        const peer = this.containers.read(m.id);
        const names = peer ? [peer.name, ...(peer.hostConfig.networkAliases ?? [])] : [m.id.slice(0, 12)];
        return { ip: m.ip, id: m.id, name: names.join(' ') };
      });
  }

  private refreshHosts(id: string, net: NetworkRecord): void {
    const r = this.containers.read(id);
    const own = members(this.store.ipamDir(net.name)).find((m) => m.id === id);
    const file = path.join(this.containers.dir(id), 'hosts');
    if (!r || !own || !fs.existsSync(file)) return;
    writeInPlace(file, hostsFile({ hostname: r.config.hostname, name: r.name, aliases: r.hostConfig.networkAliases, ip: own.ip, extraHosts: r.extraHosts ?? [], peers: this.peersOf(net, id) }));
  }
}
