// Container lifecycle: create, start (mount, cgroups, shim), stop/kill, pause, restart,
// remove, rename, wait, list. State transitions are written atomically and announced
// as typed events; nothing here prints.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import {
  EngineError,
  type AttachHandle,
  type AttachStreams,
  type ContainerRecord,
  type ContainerSummary,
  type CreateOptions,
  type EngineEvent,
  type ImageRecord,
} from '../api.js';
import { umount, isMountPoint, removeTree } from '../../native.js';
import { parsePidFile, writeSpec } from '../runtime/monitor-protocol.js';
import { mountContainerOverlay } from './upper-mount.js';
import { cgroupPathsFor, createCgroups, removeCgroups, setFrozen, cgroupPids } from '../runtime/cgroups.js';
import { applyDeviceRules } from '../runtime/cgroup-devices.js';
import { buildRunSpec, containerEnv } from '../runtime/run-spec.js';
import { launchShim } from '../runtime/shim-launcher.js';
import { resolveUser } from '../runtime/users.js';
import { validateCapabilities } from '../runtime/security.js';
import { connectAttach, wireAttach } from './attach-client.js';
import { withFileLock } from './file-lock.js';
import { newContainerId, randomName, VALID_NAME } from './names.js';
import { ContainerPaths } from './paths.js';
import { RecordStore } from './record-store.js';
import { bootId, emptyState, reconcile, readExitFile, readPidFile, shimAlive, shimFinished, ZERO_TIME } from './state.js';
import { NetworkService, type ContainerView } from '../network/service.js';
import { ensureInitLayer } from '../network/init-layer.js';
import { VolumeService } from '../volumes/service.js';
import { containerSummary, newestFirst } from './summary.js';
import { signalNumber } from './signals.js';

export interface ImageSource {
  resolve(ref: string): Promise<ImageRecord>;
  layerDirs(image: ImageRecord): string[]; // top layer first, as overlay's lowerdir wants
}

export class ContainerService {
  readonly paths: ContainerPaths;
  readonly records: RecordStore;
  readonly networks: NetworkService;
  readonly volumes: VolumeService;

  constructor(root: string, runtimeDir: string, private readonly images: ImageSource, private readonly emit: (e: EngineEvent) => void) {
    this.paths = new ContainerPaths(root, runtimeDir);
    this.records = new RecordStore(this.paths);
    this.networks = new NetworkService(root, this.networkView());
    this.volumes = new VolumeService(root, () => this.records.all());
  }

  // ---- lookup -------------------------------------------------------------------------

  /** The record, reconciled with reality (and rewritten when reality moved on). */
  get(ref: string): ContainerRecord {
    return this.refresh(this.records.find(ref));
  }

  private refresh(record: ContainerRecord): ContainerRecord {
    const { state, changed, shimGone } = reconcile(record, this.paths);
    if (!changed) return record;
    const updated = { ...record, state };
    // the container is gone: its network goes now; mounts and cgroups are the shim's to clean
    // up while it still lives, ours (with the network) once it has died
    if (shimGone) {
      if (state.shimPid) this.releaseNetwork(updated);
      else this.cleanupAfterExit(updated);
    }
    this.records.write(updated);
    if (shimGone) this.emit({ type: 'container', action: 'die', id: record.id, name: record.name, exitCode: state.exitCode });
    return updated;
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
    validateCapabilities([...(opts.capAdd ?? []), ...(opts.capDrop ?? [])]);
    const image = await this.images.resolve(opts.image);
    const cfg = image.config;
    const entrypoint = opts.entrypoint ?? cfg.Entrypoint ?? [];
    const cmd = opts.cmd && opts.cmd.length > 0 ? opts.cmd : opts.entrypoint !== undefined ? [] : cfg.Cmd ?? [];
    const argv = [...entrypoint, ...cmd];
    if (argv.length === 0) throw new EngineError('no command specified', 'invalid');
    const network = this.networks.validate(opts.network ?? 'bridge', opts.extraHosts ?? []);

    const id = newContainerId();
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
        hostname: opts.hostname ?? id.slice(0, 12),
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
        readOnly: !!opts.readOnly,
        autoRemove: !!opts.autoRemove,
        log: opts.log ?? {},
        network,
        init: !!opts.init,
      },
      state: emptyState(),
      restartCount: 0,
      cgroupPaths: cgroupPathsFor(id),
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
    await withFileLock(this.paths.namesLock(), () => {
      if (opts.name !== undefined && this.records.nameTaken(opts.name)) {
        const holder = this.records.all().find((r) => r.name === opts.name)!;
        throw new EngineError(`Conflict. The container name "/${opts.name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`, 'conflict');
      }
      record.name = opts.name ?? randomName((n) => this.records.nameTaken(n));
      record.mounts = this.volumes.resolve(opts.mounts ?? [], Object.keys(cfg.Volumes ?? {}));
      // Build the directory aside and rename it in: a crash never leaves a half-made container.
      const staging = `${dir}.creating`;
      fs.mkdirSync(staging, { recursive: true, mode: 0o710 });
      for (const sub of ['upper', 'work', 'merged', 'logs']) fs.mkdirSync(`${staging}/${sub}`);
      fs.writeFileSync(`${staging}/container.json`, JSON.stringify(record, null, 2));
      fs.renameSync(staging, dir);
    });
    this.emit({ type: 'container', action: 'create', id, name: record.name });
    return record;
  }

  // ---- start ----------------------------------------------------------------------------

  async start(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined> {
    const found = this.get(ref);
    return withFileLock(this.paths.lock(found.id), () => this.startLocked(found.id, attach));
  }

  private async startLocked(id: string, attach?: AttachStreams): Promise<AttachHandle | undefined> {
    const record = this.get(id);
    if (record.state.status === 'paused') throw new EngineError(`cannot start a paused container ${record.name}, try unpause instead`, 'conflict');
    if (record.state.running) return undefined;

    // the previous run's shim may still be unmounting and removing its cgroups
    await shimFinished(record.state.shimPid, id);
    const image = await this.images.resolve(record.config.imageId);
    const rootfs = this.paths.rootfs(id);
    if (isMountPoint(rootfs)) umount(rootfs, true); // left over from a shim that died
    fs.mkdirSync(this.paths.runDir(id), { recursive: true, mode: 0o700 });
    fs.mkdirSync(this.paths.runtimeDir + '/sock', { recursive: true, mode: 0o700 });
    fs.rmSync(this.paths.exitFile(id), { force: true });
    fs.rmSync(this.paths.pidFile(id), { force: true });
    fs.rmSync(this.paths.attachSocket(id), { force: true });

    const lowers = [ensureInitLayer(this.paths.dir(id)), ...this.images.layerDirs(image)];
    mountContainerOverlay(lowers, this.paths.upper(id), this.paths.work(id), rootfs, record.hostConfig.autoRemove);
    let shimOwnsCleanup = false;
    let attachment: ContainerRecord['networkSettings'];
    try {
      const user = resolveUser(rootfs, record.config.user);
      removeCgroups(record.cgroupPaths); // a stale group from a crash would keep old limits
      createCgroups(record.cgroupPaths, record.hostConfig.limits);
      applyDeviceRules(record.cgroupPaths, record.hostConfig.privileged);
      const mounts = this.volumes.prepare(record, rootfs);
      const net = this.networks.prepare(record);
      attachment = net.attachment;
      const spec = buildRunSpec({
        record,
        argv: [record.path, ...record.args],
        env: containerEnv(record, user),
        user,
        rootfs,
        cgroups: record.cgroupPaths,
        logPath: record.logPath,
        exitFile: this.paths.exitFile(id),
        pidFile: this.paths.pidFile(id),
        attachSocket: this.paths.attachSocket(id),
        waitAttach: attach !== undefined,
        netns: net.attachment?.sandboxKey,
        extra: [...net.entries, ...mounts],
      });
      fs.writeFileSync(this.paths.spec(id), writeSpec(spec), { mode: 0o600 });

      const shim = launchShim(this.paths.spec(id));
      shimOwnsCleanup = true;
      let handle: AttachHandle | undefined;
      for (;;) {
        const status = await shim.next();
        if (!status) throw new EngineError(`container ${record.name}: the monitor exited before reporting a start`, 'internal');
        if (status.kind === 'attach-ready' && attach) {
          handle = wireAttach(await connectAttach(this.paths.attachSocket(id)), attach);
          continue;
        }
        if (status.kind === 'error') {
          shim.close();
          await this.waitForExitFile(id, 2000);
          this.networks.release(record);
          this.markExited(record, status.code, status.message);
          const kind = status.code === 127 ? 'command-not-found' : status.code === 126 ? 'cannot-invoke' : 'internal';
          throw new EngineError(status.message, kind);
        }
        if (status.kind === 'started') {
          shim.close();
          const now = new Date().toISOString();
          const { shimPid } = parsePidFile(fs.readFileSync(this.paths.pidFile(id), 'utf8'));
          const started: ContainerRecord = {
            ...record,
            bootId: bootId(),
            networkSettings: attachment,
            state: { ...record.state, status: 'running', running: true, paused: false, pid: status.pid, shimPid, exitCode: 0, oomKilled: false, error: '', startedAt: now, finishedAt: ZERO_TIME },
          };
          this.records.write(started);
          this.emit({ type: 'container', action: 'start', id, name: record.name });
          return handle;
        }
      }
    } catch (err) {
      if (!shimOwnsCleanup) {
        this.networks.release(record);
        try { umount(rootfs, true); } catch { /* not mounted */ }
        try { removeCgroups(record.cgroupPaths); } catch { /* best effort */ }
      }
      if (err instanceof EngineError) throw err;
      throw new EngineError(`cannot start container ${record.name}: ${(err as Error).message}`, 'internal');
    }
  }

  private markExited(record: ContainerRecord, exitCode: number, error: string): void {
    const exit = readExitFile(this.paths.exitFile(record.id));
    const updated: ContainerRecord = {
      ...record,
      state: { ...record.state, status: 'exited', running: false, paused: false, pid: 0, shimPid: 0, exitCode: exit?.exitCode ?? exitCode, oomKilled: exit?.oomKilled ?? false, error, finishedAt: exit?.finishedAt ?? new Date().toISOString() },
    };
    this.records.write(updated);
    this.emit({ type: 'container', action: 'die', id: record.id, name: record.name, exitCode: updated.state.exitCode });
  }

  private networkView(): ContainerView {
    return {
      read: (id) => this.records.read(id),
      all: () => this.records.all(),
      dir: (id) => this.paths.dir(id),
      runDir: (id) => this.paths.runDir(id),
      isLive: (id) => {
        const r = this.records.read(id);
        return !!r && shimAlive(readPidFile(this.paths.pidFile(id))?.shimPid || r.state.shimPid, id);
      },
    };
  }

  private releaseNetwork(record: ContainerRecord): void {
    this.networks.release(record); // never throws
    delete record.networkSettings; // the caller writes the record: it shows no address once stopped
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

  // ---- wait / stop / kill ---------------------------------------------------------------

  private async waitForExitFile(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (fs.existsSync(this.paths.exitFile(id))) return true;
      await sleep(5);
    }
    return false;
  }

  /** Resolves with the exit code once the container is not running. */
  async wait(ref: string, signal?: AbortSignal): Promise<number> {
    const id = this.records.find(ref).id;
    const dir = this.paths.dir(id);
    let watcher: fs.FSWatcher | undefined;
    let wake: (() => void) | undefined;
    try {
      watcher = fs.watch(dir, () => wake?.());
    } catch { /* polling below still works */ }
    try {
      for (;;) {
        if (signal?.aborted) throw new EngineError('wait aborted', 'internal');
        const r = this.get(id);
        if (!r.state.running && r.state.status !== 'created') return r.state.exitCode;
        if (r.state.status === 'created') return r.state.exitCode;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 200); // also catches a shim that died without writing
          wake = () => { clearTimeout(t); resolve(); };
        });
      }
    } finally {
      watcher?.close();
    }
  }

  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const r = this.get(ref);
    if (!r.state.running) throw new EngineError(`cannot kill container: ${ref}: container ${r.id} is not running`, 'conflict');
    const num = signalNumber(signal);
    process.kill(r.state.pid, num);
    // A frozen task acts on SIGKILL only once thawed (cgroup v1).
    if (r.state.paused && num === 9) setFrozen(r.cgroupPaths, false);
    this.emit({ type: 'container', action: 'kill', id: r.id, name: r.name });
  }

  async stop(ref: string, timeoutSeconds?: number): Promise<void> {
    const r = this.get(ref);
    if (!r.state.running) return;
    const timeout = timeoutSeconds ?? r.config.stopTimeout;
    try {
      process.kill(r.state.pid, signalNumber(r.config.stopSignal));
      if (r.state.paused) setFrozen(r.cgroupPaths, false);
    } catch { /* already gone */ }
    if (!(await this.waitStopped(r.id, timeout * 1000))) {
      try { process.kill(r.state.pid, 'SIGKILL'); } catch { /* gone */ }
      await this.waitStopped(r.id, 10_000);
    }
    this.emit({ type: 'container', action: 'stop', id: r.id, name: r.name });
  }

  private async waitStopped(id: string, timeoutMs: number): Promise<boolean> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      await this.wait(id, ac.signal);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<void> {
    const r = this.get(ref);
    await this.stop(r.id, timeoutSeconds);
    const after = this.get(r.id);
    this.records.write({ ...after, restartCount: after.restartCount + 1 });
    await this.start(r.id);
    this.emit({ type: 'container', action: 'restart', id: r.id, name: r.name });
  }

  // ---- pause ----------------------------------------------------------------------------

  pause(ref: string): void {
    const r = this.get(ref);
    if (!r.state.running) throw new EngineError(`Container ${r.id} is not running`, 'conflict');
    if (r.state.paused) throw new EngineError(`Container ${r.id} is already paused`, 'conflict');
    setFrozen(r.cgroupPaths, true);
    this.records.write({ ...r, state: { ...r.state, status: 'paused', paused: true } });
    this.emit({ type: 'container', action: 'pause', id: r.id, name: r.name });
  }

  unpause(ref: string): void {
    const r = this.get(ref);
    if (!r.state.paused) throw new EngineError(`Container ${r.id} is not paused`, 'conflict');
    setFrozen(r.cgroupPaths, false);
    this.records.write({ ...r, state: { ...r.state, status: 'running', paused: false } });
    this.emit({ type: 'container', action: 'unpause', id: r.id, name: r.name });
  }

  // ---- remove / rename ------------------------------------------------------------------

  async remove(ref: string, force = false, removeVolumes = false): Promise<void> {
    const r = this.get(ref);
    if (r.state.running) {
      if (!force) {
        throw new EngineError(`cannot remove container "${r.name}": container is ${r.state.paused ? 'paused' : 'running'}: stop the container before removing or force remove`, 'conflict');
      }
      await this.kill(r.id, 'SIGKILL');
      await this.waitStopped(r.id, 10_000);
    }
    const stopped = this.get(r.id);
    await shimFinished(stopped.state.shimPid, stopped.id);
    this.removeNow(stopped, removeVolumes);
  }

  private removeNow(r: ContainerRecord, removeVolumes = false): void {
    if (r.state.running) throw new EngineError(`container ${r.name} is still running`, 'conflict');
    this.cleanupAfterExit(r);
    const rootfs = this.paths.rootfs(r.id);
    if (isMountPoint(rootfs)) throw new EngineError(`cannot remove container ${r.name}: its root is still mounted at ${rootfs}`, 'internal');
    // Rename first so a crash mid-delete leaves no half-container that lists.
    const doomed = `${this.paths.dir(r.id)}.removing`;
    fs.renameSync(this.paths.dir(r.id), doomed);
    removeTree(doomed); // and never into a mount left below it
    if (removeVolumes) this.volumes.removeAnonymous(r);
    fs.rmSync(this.paths.runDir(r.id), { recursive: true, force: true });
    fs.rmSync(this.paths.attachSocket(r.id), { force: true });
    this.emit({ type: 'container', action: 'destroy', id: r.id, name: r.name });
  }

  async rename(ref: string, newName: string): Promise<void> {
    if (!VALID_NAME.test(newName)) throw new EngineError(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 'invalid');
    await withFileLock(this.paths.namesLock(), () => {
      const r = this.get(ref);
      if (r.name === newName) throw new EngineError(`Renaming a container with the same name as its current name`, 'invalid');
      if (this.records.nameTaken(newName, r.id)) throw new EngineError(`Conflict. The container name "/${newName}" is already in use`, 'conflict');
      this.records.write({ ...r, name: newName });
      this.emit({ type: 'container', action: 'rename', id: r.id, name: newName });
    });
  }

  async attach(ref: string, streams: AttachStreams): Promise<AttachHandle> {
    const r = this.get(ref);
    if (!r.state.running) throw new EngineError(`You cannot attach to a stopped container, start it first`, 'conflict');
    return wireAttach(await connectAttach(this.paths.attachSocket(r.id)), streams);
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
