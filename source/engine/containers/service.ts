// Container records (containerd's containers store): create, inspect (reconciled with reality),
// list, rename, remove, and the cleanup after an exit nobody saw. Running them is the task
// service's (tasks/service.ts). Changes are written atomically and announced as typed events.
import fs from 'node:fs';
import os from 'node:os';
import {
  type ContainerRecord,
  type ContainerSummary,
  type CreateOptions,
  type EndpointConfig,
  type EngineEvent,
  type ImageRecord,
} from '../api.js';
import { EngineError } from '../errors.js';
import { umount, isMountPoint, removeTree } from '../../native.js';
import { cgroupPathsFor, removeCgroups, cgroupPids } from '../runtime/cgroups.js';
import { defaultCgroupns } from '../runtime/cgroup-view.js';
import { validateCapabilities } from '../runtime/security.js';
import { parseSecurityOptions } from '../runtime/security-options.js';
import { withNonReentrantLock } from '../store/lock.js';
import { isDiskFull } from '../store/json-file.js';
import { newContainerId, randomName, VALID_NAME } from './names.js';
import type { ContainerPaths } from './paths.js';
import type { RecordStore } from './record-store.js';
import { bootId, emptyState, reconcile, shimAlive, shimFinished } from './state.js';
import type { NetworkService } from '../network/service.js';
import { attachmentsOf, endpointsOf, isBridgedMode, networkModeOf } from '../docker-shape/container-networks.js';
import type { VolumeService } from '../volumes/service.js';
import { containerSummary, newestFirst } from './summary.js';
import { checkAddresses, hostOptionsFor, mountsFrom, sharedNetworkOf } from './host-options.js';
import { claimDie, containerEvent } from './events.js';
import { containerHealthcheck, validateRestartPolicy } from './health-config.js';
import { signalNumber } from './signals.js';
import { newVolumesFile, newVolumesIn, removeVolumesMarker } from './interrupted.js';
import { pauseForTest } from '../store/test-pause.js';
import { storeLogDefaults, withLogDefaults } from './log-defaults.js';
import { newIdMapping, releaseIdMapping } from './subordinate-ids.js';
import { usernsModeFor } from './userns-mode.js';
import { isRootless } from '../rootless/mode.js';
import { refuseRootlessCreate } from '../rootless/refusals.js';
import { rootlessNetworkMode } from '../rootless/slirp.js';
import { detectCgroupLayout } from '../runtime/cgroup-layout.js';

export interface ImageSource {
  resolve(ref: string): Promise<ImageRecord>;
  layerDirs(image: ImageRecord): string[]; // top layer first, as overlay's lowerdir wants
}

export class ContainerService {
  constructor(
    readonly paths: ContainerPaths,
    readonly records: RecordStore,
    private readonly images: ImageSource,
    private readonly networks: NetworkService,
    private readonly volumes: VolumeService,
    private readonly emit: (e: EngineEvent) => void,
  ) {}

  // ---- lookup -------------------------------------------------------------------------

  /** The record, reconciled with reality (and rewritten when reality moved on). */
  get(ref: string): ContainerRecord {
    return this.refresh(this.records.find(ref));
  }

  private refresh(record: ContainerRecord): ContainerRecord {
    const { state, changed, shimGone, restartCount } = reconcile(record, this.paths);
    const counted = restartCount !== undefined && restartCount !== record.restartCount;
    if (!changed && !counted) return state === record.state ? record : { ...record, state }; // fresh health results, not worth a write
    const updated = { ...record, state, restartCount: restartCount ?? record.restartCount };
    // the container is gone: its network goes now; mounts and cgroups are the shim's to clean
    // up while it still lives, ours (with the network) once it has died
    if (shimGone) {
      if (state.shimPid) this.releaseNetwork(updated);
      else this.cleanupAfterExit(updated);
    }
    try {
      this.records.write(updated);
    } catch (err) {
      // a full disk must not lock out reading: the record stays as it was, and the first
      // process that can write it reconciles it again (and announces the exit then)
      if (!isDiskFull(err)) throw err;
      return updated;
    }
    if (shimGone && claimDie(this.paths, record.id)) this.emit(containerEvent('die', updated, { exitCode: state.exitCode }));
    const health = state.health?.status;
    if (health && health !== 'starting' && health !== record.state.health?.status) this.emit(containerEvent('health_status', updated, { health }));
    return updated;
  }

  private releaseNetwork(record: ContainerRecord): void {
    this.networks.release(record); // never throws
    delete record.networkSettings; // the caller writes the record: it shows no address once stopped
    delete record.extraNetworks;
  }

  private cleanupAfterExit(record: ContainerRecord): void {
    this.releaseNetwork(record);
    // The shim normally does this; when it died we do it, and only for what is ours.
    const rootfs = this.paths.rootfs(record.id);
    try { if (isMountPoint(rootfs)) umount(rootfs, true); } catch { /* already gone */ }
    if (cgroupPids(record.cgroupPaths).length === 0) {
      try { removeCgroups(record.cgroupPaths); } catch { /* busy: retried next time */ }
    }
  }

  list(all: boolean): ContainerSummary[] {
    const out: ContainerSummary[] = [];
    this.networks.reconcileAll(); // what containers that died unobserved left on their networks
    for (const raw of this.records.all()) {
      const r = this.refresh(raw);
      if (r.hostConfig.autoRemove && r.state.status === 'exited') {
        // nobody was there to remove it when it exited (detached --rm)
        try { this.removeNow(r, true); continue; } catch { /* shown instead */ }
      }
      if (!all && !r.state.running) continue;
      out.push(containerSummary(r));
    }
    return newestFirst(out);
  }

  // ---- create ---------------------------------------------------------------------------

  async create(opts: CreateOptions): Promise<ContainerRecord> {
    if (opts.name !== undefined && !VALID_NAME.test(opts.name)) {
      throw new EngineError(`Invalid container name (${opts.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 'invalid');
    }
    if (opts.workdir && !opts.workdir.startsWith('/')) {
      throw new EngineError(`the working directory '${opts.workdir}' is invalid, it needs to be an absolute path`, 'invalid');
    }
    validateCapabilities([...(opts.capAdd ?? []), ...(opts.capDrop ?? [])]);
    if (opts.cgroupns !== undefined && opts.cgroupns !== 'host' && opts.cgroupns !== 'private') {
      throw new EngineError(`invalid cgroup namespace mode: ${opts.cgroupns}`, 'invalid');
    }
    const rootless = isRootless();
    const usernsMode = rootless ? 'host' : usernsModeFor(opts); // rootless: the user's namespace is the container's
    parseSecurityOptions(opts.securityOpt); // refuses what docker refuses, at create
    validateRestartPolicy(opts.restartPolicy, !!opts.autoRemove);
    const image = await this.images.resolve(opts.image);
    const cfg = image.config;
    const entrypoint = opts.entrypoint ?? cfg.Entrypoint ?? [];
    const cmd = opts.cmd && opts.cmd.length > 0 ? opts.cmd : opts.entrypoint !== undefined ? [] : cfg.Cmd ?? [];
    const argv = [...entrypoint, ...cmd];
    if (argv.length === 0) throw new EngineError('no command specified', 'invalid');
    const healthcheck = containerHealthcheck(cfg.Healthcheck, opts.healthcheck);
    const others = { find: (ref: string) => this.records.find(ref) };
    const sharedNet = sharedNetworkOf(opts, others);
    const network = sharedNet ? `container:${sharedNet.id}` : this.networks.validate(rootless ? rootlessNetworkMode(opts.network) : opts.network ?? 'bridge', opts.extraHosts ?? []);
    if (rootless) refuseRootlessCreate(opts, network, detectCgroupLayout());
    const extraHost = hostOptionsFor(opts, network, others);
    const networks = this.endpointsFor(opts, network);
    const sharedMounts = mountsFrom(opts.volumesFrom ?? [], others);

    const id = newContainerId();
    const cgroupPaths = cgroupPathsFor(id, undefined, opts.cgroupParent || undefined);
    const record: ContainerRecord = {
      id,
      name: '',
      created: new Date().toISOString(),
      path: argv[0],
      args: argv.slice(1),
      config: {
        image: opts.image,
        imageId: image.id,
        cmd,
        entrypoint,
        env: [...(cfg.Env ?? []), ...(opts.env ?? [])],
        workdir: opts.workdir ?? cfg.WorkingDir ?? '',
        user: opts.user ?? cfg.User ?? '',
        // docker: the host's name with the host's network or UTS namespace
        hostname: sharedNet?.config.hostname ?? opts.hostname ?? (network === 'host' || opts.utsMode === 'host' ? os.hostname() : id.slice(0, 12)),
        domainname: sharedNet?.config.domainname ?? opts.domainname ?? '',
        tty: !!opts.tty,
        openStdin: !!opts.openStdin,
        labels: { ...(cfg.Labels ?? {}), ...(opts.labels ?? {}) },
        stopSignal: opts.stopSignal ?? cfg.StopSignal ?? 'SIGTERM',
        stopTimeout: opts.stopTimeout ?? 10,
      },
      hostConfig: {
        limits: opts.limits ?? {},
        privileged: !!opts.privileged,
        capAdd: opts.capAdd ?? [],
        capDrop: opts.capDrop ?? [],
        securityOpt: opts.securityOpt ?? [],
        readOnly: !!opts.readOnly,
        autoRemove: !!opts.autoRemove,
        log: withLogDefaults(opts.log, storeLogDefaults()),
        network,
        init: !!opts.init,
        cgroupns: opts.cgroupns ?? defaultCgroupns(cgroupPaths),
        usernsMode,
        ...extraHost,
        ...(opts.restartPolicy && { restartPolicy: opts.restartPolicy }),
        networks,
      },
      state: emptyState(),
      restartCount: 0,
      ...(healthcheck && { healthcheck }),
      cgroupPaths,
      logPath: this.paths.log(id),
      bootId: bootId(),
      ports: opts.ports ?? [],
      publishAll: !!opts.publishAll,
      exposedPorts: [...new Set([...Object.keys(cfg.ExposedPorts ?? {}), ...(opts.exposedPorts ?? []), ...(opts.ports ?? []).map((p) => `${p.containerPort}/${p.protocol}`)])],
      extraHosts: opts.extraHosts ?? [],
      dns: opts.dns ?? [],
    };
    signalNumber(record.config.stopSignal); // rejects an unknown signal now, not at stop time

    const dir = this.paths.dir(id);
    await withNonReentrantLock(this.paths.namesLock(), () => {
      if (opts.name !== undefined && this.records.nameTaken(opts.name)) {
        const holder = this.records.all().find((r) => r.name === opts.name)!;
        throw new EngineError(`Conflict. The container name "/${opts.name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`, 'conflict');
      }
      record.name = opts.name ?? randomName((n) => this.records.nameTaken(n));
      // under the names lock: every record written so far holds its range
      if (usernsMode === 'auto') record.idMapping = newIdMapping(dir, this.records.all().flatMap((r) => (r.idMapping ? [r.idMapping] : [])));
      // Build the directory aside and rename it in: a crash never leaves a half-made container
      // (the next strata process removes what a dead one staged, interrupted.ts). Staged first,
      // so that each new anonymous volume is named there before it is made.
      const staging = `${dir}.creating-${process.pid}`;
      try {
        fs.mkdirSync(staging, { recursive: true, mode: 0o710 });
        const own = this.volumes.resolve(opts.mounts ?? [], Object.keys(cfg.Volumes ?? {}), (name) => fs.appendFileSync(newVolumesFile(staging), `${name}\n`));
        // the user's own mounts win over those copied from another container at the same place
        record.mounts = [...sharedMounts.filter((m) => !own.some((o) => o.destination === m.destination)), ...own];
        pauseForTest('container-create-volumes');
        for (const sub of ['upper', 'work', 'merged', 'logs']) fs.mkdirSync(`${staging}/${sub}`);
        fs.writeFileSync(`${staging}/container.json`, JSON.stringify(record, null, 2));
        fs.rmSync(newVolumesFile(staging), { force: true }); // the record names them now
        pauseForTest('container-create-staged');
        fs.renameSync(staging, dir);
      } catch (err) {
        // a full disk or a bad mount, say: nothing of the container stays, its new anonymous volumes included
        const made = newVolumesIn(staging);
        fs.rmSync(staging, { recursive: true, force: true });
        this.volumes.removeAnonymous(record);
        this.volumes.removeUnused(made);
        throw err;
      }
    });
    this.emit(containerEvent('create', record));
    return record;
  }

  /** Its bridged networks in order: the first with --ip, --network-alias and --mac-address, then --network b… with their own. */
  private endpointsFor(opts: CreateOptions, network: string): EndpointConfig[] {
    const more = opts.moreNetworks ?? [];
    if (!isBridgedMode(network)) {
      if (more.length) throw new EngineError(`container cannot be connected to multiple networks with one of the networks in ${network === 'none' ? 'private (none)' : network} mode`, 'invalid');
      return [];
    }
    const first: EndpointConfig = {
      network,
      ...(opts.networkAliases?.length ? { aliases: [...opts.networkAliases] } : {}),
      ...(opts.ipAddress ? { ipv4Address: opts.ipAddress } : {}),
      ...(opts.macAddress ? { macAddress: opts.macAddress.toLowerCase() } : {}),
    };
    const out = [first];
    for (const m of more) {
      const name = this.networks.validate(m.network, []);
      if (!isBridgedMode(name)) throw new EngineError(`container cannot be connected to multiple networks with one of the networks in ${name === 'none' ? 'private (none)' : name} mode`, 'invalid');
      if (out.some((e) => e.network === name)) throw new EngineError(`network "${m.network}" is specified multiple times`, 'invalid');
      checkAddresses({ image: opts.image, ipAddress: m.ipv4Address, networkAliases: m.aliases, macAddress: m.macAddress }, name);
      out.push({ ...m, network: name, ...(m.macAddress ? { macAddress: m.macAddress.toLowerCase() } : {}) });
    }
    return out;
  }

  // ---- remove / rename ------------------------------------------------------------------

  /** Removes a container that is not running (tasks' stopForRemoval sees to that first). */
  async remove(ref: string, removeVolumes = false): Promise<void> {
    const stopped = this.get(ref);
    await shimFinished(stopped.state.shimPid, stopped.id);
    this.removeNow(stopped, removeVolumes);
  }

  private removeNow(r: ContainerRecord, removeVolumes = false): void {
    if (r.state.running) throw new EngineError(`container ${r.name} is still running`, 'conflict');
    this.cleanupAfterExit(r);
    const rootfs = this.paths.rootfs(r.id);
    if (isMountPoint(rootfs)) throw new EngineError(`cannot remove container ${r.name}: its root is still mounted at ${rootfs}`, 'internal');
    // Rename first so a crash mid-delete leaves no half-container that lists (and the next
    // strata process finishes the delete, interrupted.ts).
    // With -v, a marker says so, for the process that finishes a killed remove: the record
    // beside it names the anonymous volumes, which go before the (long) tree removal.
    const doomed = `${this.paths.dir(r.id)}.removing-${process.pid}`;
    if (removeVolumes) fs.writeFileSync(removeVolumesMarker(this.paths.dir(r.id)), '');
    fs.renameSync(this.paths.dir(r.id), doomed);
    pauseForTest('container-remove-renamed');
    if (removeVolumes) this.volumes.removeAnonymous(r);
    removeTree(doomed); // and never into a mount left below it
    if (r.idMapping) releaseIdMapping(r.idMapping, this.paths.dir(r.id));
    fs.rmSync(this.paths.runDir(r.id), { recursive: true, force: true });
    fs.rmSync(this.paths.attachSocket(r.id), { force: true });
    this.emit(containerEvent('destroy', r));
  }

  async rename(ref: string, newName: string): Promise<void> {
    if (!VALID_NAME.test(newName)) throw new EngineError(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 'invalid');
    await withNonReentrantLock(this.paths.namesLock(), () => {
      const r = this.get(ref);
      if (r.name === newName) throw new EngineError(`Renaming a container with the same name as its current name`, 'invalid');
      if (this.records.nameTaken(newName, r.id)) throw new EngineError(`Conflict. The container name "/${newName}" is already in use`, 'conflict');
      this.records.write({ ...r, name: newName });
      this.emit(containerEvent('rename', r, { name: newName }));
    });
  }

  // ---- network connect / disconnect -------------------------------------------------------

  /** The container and the network's name, once it is known that its network may change now. */
  private networkChange(ref: string, network: string, verb: 'connect' | 'disconnect'): { r: ContainerRecord; target: string } {
    const r = this.get(ref);
    const target = this.networks.validate(network, []);
    if (target === 'host' || networkModeOf(r) === 'host') throw new EngineError('container cannot be disconnected from host network or connected to host network', 'invalid');
    // between two runs of a restart policy there is no process whose namespace could change
    if (r.state.status === 'restarting') throw new EngineError(`cannot ${verb} container ${r.name} while it is restarting`, 'conflict');
    return { r, target };
  }

  /**
   * One more network (the next ethN): for the next start of a stopped container, at once and for
   * every start after of a running one (hot-plug). A container on `none` leaves it.
   */
  connectNetwork(ref: string, network: string, opts: { aliases?: string[]; ipv4Address?: string } = {}): void {
    const { r, target } = this.networkChange(ref, network, 'connect');
    if (target === 'none') throw new EngineError('container cannot be connected to multiple networks with one of the networks in private (none) mode', 'invalid');
    const endpoints = endpointsOf(r);
    if (endpoints.some((e) => e.network === target)) throw new EngineError(`endpoint with name ${r.name} already exists in network ${target}`, 'conflict');
    const ep: EndpointConfig = { network: target, ...(opts.aliases?.length ? { aliases: [...opts.aliases] } : {}), ...(opts.ipv4Address ? { ipv4Address: opts.ipv4Address } : {}) };
    checkAddresses({ image: '', ipAddress: ep.ipv4Address, networkAliases: ep.aliases }, target);
    const networks = [...endpoints, ep];
    const hostConfig = { ...r.hostConfig, network: networks[0].network, networks };
    delete hostConfig.networkAliases; // of records of before: in `networks` now
    const connected = { ...r, hostConfig };
    this.records.write(connected); // first: its peers' hosts files name it by its aliases
    if (!r.state.running) return;
    try {
      const attachment = this.networks.connectRunning(connected, ep);
      const first = attachmentsOf(r).length === 0;
      this.records.write(first ? { ...connected, networkSettings: attachment } : { ...connected, extraNetworks: [...(r.extraNetworks ?? []), attachment] });
    } catch (err) {
      this.records.write(r);
      throw err;
    }
  }

  /** One network less; the others stay (the first left gives the default route and ports); the last one puts it on `none`. */
  disconnectNetwork(ref: string, network: string): void {
    const { r, target } = this.networkChange(ref, network, 'disconnect');
    const endpoints = endpointsOf(r);
    if (!endpoints.some((e) => e.network === target)) throw new EngineError(`container ${r.id} is not connected to network ${target}`, 'conflict');
    const left = r.state.running ? this.networks.disconnectRunning(r, target) : [];
    const networks = endpoints.filter((e) => e.network !== target);
    const hostConfig = { ...r.hostConfig, network: networks[0]?.network ?? 'none', networks };
    delete hostConfig.networkAliases;
    const disconnected: ContainerRecord = { ...r, hostConfig };
    delete disconnected.networkSettings;
    delete disconnected.extraNetworks;
    if (left.length > 0) disconnected.networkSettings = left[0];
    if (left.length > 1) disconnected.extraNetworks = left.slice(1);
    this.records.write(disconnected);
  }

  isImageUsed(imageId: string): boolean {
    return this.records.all().some((r) => r.config.imageId === imageId);
  }

  shimRunning(r: ContainerRecord): boolean {
    return shimAlive(r.state.shimPid, r.id);
  }

  hostMemory(): number {
    return os.totalmem();
  }
}
