// Running containers (containerd's tasks): start (the root, cgroups, volumes and network made
// ready, the monitor launched and followed until it reports), attach, wait, stop, kill, pause,
// restart. The records are the container service's; this only runs them and writes their state.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttachHandle,
  type AttachStreams,
  type ContainerRecord,
  type EngineEvent,
  type RestartBackoff,
  type UpdateOptions,
  type UpdateResult,
} from '../api.js';
import { EngineError } from '../errors.js';
import { connectAttach, wireAttach } from '../containers/attach-client.js';
import { withNonReentrantLock } from '../store/lock.js';
import type { ContainerPaths } from '../containers/paths.js';
import type { RecordStore } from '../containers/record-store.js';
import type { ImageSource } from '../containers/service.js';
import { signalNumber } from '../containers/signals.js';
import { claimDie, containerEvent } from '../containers/events.js';
import { bootId, monitorGone, readExitFile, shimFinished, ZERO_TIME } from '../containers/state.js';
import type { NetworkService } from '../network/service.js';
import { killGroupProcesses, removeCgroupsWhenFree, setFrozen } from '../runtime/cgroups.js';
import { parsePidFile, writeSpec } from '../runtime/monitor-protocol.js';
import { buildRunSpec, containerEnv, type NamespaceJoin } from '../runtime/run-spec.js';
import { launchShim, type ShimSession } from '../runtime/shim-launcher.js';
import { resolveGroupAdd, resolveUser } from '../runtime/users.js';
import { restartEntries, startsAtBoot } from '../runtime/restart-policy.js';
import type { VolumeService } from '../volumes/service.js';
import { writeHealthSpec } from './health-spec.js';
import { clearPreviousRun, createGroups, mountRoot, rootLayers, undoStart } from './start-steps.js';
import { applyUpdate } from './update.js';
import { usernsSpecEntries } from '../runtime/userns-spec.js';
import type { SpecEntries } from '../runtime/monitor-protocol.js';

/** What running containers needs of the container service: their files and reconciled records. */
export interface TaskRecords {
  readonly paths: ContainerPaths;
  readonly records: Pick<RecordStore, 'find' | 'write' | 'all'>;
  get(ref: string): ContainerRecord; // reconciled with reality
}

// SIGTERM to a monitor between runs cancels its restart; it passes it on to a running container anyway.
function signalMonitor(r: ContainerRecord): void {
  try { process.kill(r.state.shimPid, 'SIGTERM'); } catch { /* gone: nothing restarts */ }
}

export class TaskService {
  private readonly paths: ContainerPaths;

  constructor(
    private readonly containers: TaskRecords,
    private readonly images: ImageSource,
    private readonly networks: NetworkService,
    private readonly volumes: VolumeService,
    private readonly emit: (e: EngineEvent) => void,
    private readonly restartBackoff?: RestartBackoff,
  ) {
    this.paths = containers.paths;
  }

  // ---- start ----------------------------------------------------------------------------

  async start(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined> {
    const found = this.containers.get(ref);
    return this.withContainerLock(found, () => this.startLocked(found.id, attach));
  }

  /** The container's lock, held by a start and a remove, so that neither meets the other halfway. */
  private async withContainerLock<T>(record: ContainerRecord, fn: () => Promise<T>): Promise<T> {
    try {
      return await withNonReentrantLock(this.paths.lock(record.id), fn);
    } catch (err) {
      // its directory renamed away by a remove before the lock file could be opened
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(this.paths.record(record.id))) {
        throw new EngineError(`No such container: ${record.name}`, 'not-found');
      }
      throw err;
    }
  }

  /** Stops the container if it runs (with force) and removes it, holding its lock throughout. */
  async remove(ref: string, force: boolean, removeStopped: (id: string) => Promise<void>): Promise<void> {
    const found = this.containers.get(ref);
    await this.withContainerLock(found, async () => {
      const id = await this.stopForRemoval(found.id, force);
      await removeStopped(id);
    });
  }

  private async startLocked(id: string, attach?: AttachStreams): Promise<AttachHandle | undefined> {
    const record = this.containers.get(id);
    if (record.state.status === 'paused') throw new EngineError(`cannot start a paused container ${record.name}, try unpause instead`, 'conflict');
    if (record.state.running) return undefined;

    // the previous run's shim may still be unmounting and removing its cgroups
    await shimFinished(record.state.shimPid, id);
    const image = await this.images.resolve(record.config.imageId);
    let rootfs: string;
    let layers: ReturnType<typeof rootLayers>;
    try {
      clearPreviousRun(this.paths, id);
      layers = rootLayers(this.paths, record, this.images, image);
      rootfs = mountRoot(this.paths, record, layers);
    } catch (err) {
      if (!(err instanceof EngineError) && !fs.existsSync(this.paths.record(id))) throw new EngineError(`No such container: ${record.name}`, 'not-found');
      throw err;
    }
    let shimOwnsCleanup = false;
    try {
      const attachment = this.writeRunSpec(record, rootfs, attach !== undefined, record.idMapping && usernsSpecEntries(record.idMapping, layers, rootfs));
      const shim = launchShim(this.paths.spec(id));
      shimOwnsCleanup = true;
      return await this.followStart(shim, record, attachment, attach);
    } catch (err) {
      if (!shimOwnsCleanup) undoStart(record, rootfs, this.networks);
      if (err instanceof EngineError) throw err;
      // a remove by another process took the directory away mid-start: docker's words
      if (!fs.existsSync(this.paths.record(id))) throw new EngineError(`No such container: ${record.name}`, 'not-found');
      throw new EngineError(`cannot start container ${record.name}: ${(err as Error).message}`, 'internal');
    }
  }

  /** Makes the user, cgroups, volumes and network ready and writes the spec the monitor runs; returns the network attachment. */
  private writeRunSpec(record: ContainerRecord, rootfs: string, waitAttach: boolean, userns: SpecEntries = []): ContainerRecord['networkSettings'] {
    const id = record.id;
    const resolved = resolveUser(rootfs, record.config.user);
    const user = { ...resolved, groups: [...new Set([...resolved.groups, ...resolveGroupAdd(rootfs, record.hostConfig.groupAdd ?? [])])] };
    const joinNamespaces = this.namespacesToJoin(record);
    createGroups(record);
    const mounts = this.volumes.prepare(record, rootfs);
    const net = this.networks.prepare(record);
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
      waitAttach,
      netns: net.netns,
      extra: [...userns, ...net.entries, ...mounts, ...restartEntries(record, { restartFile: this.paths.restartFile(id), stopFile: this.paths.stopFile(id), policyFile: this.paths.restartPolicyFile(id) }, this.restartBackoff), ...writeHealthSpec(record, rootfs, this.paths)],
      joinNamespaces,
    });
    fs.writeFileSync(this.paths.spec(id), writeSpec(spec), { mode: 0o600 });
    return net.attachment;
  }

  /** --pid/--ipc/--uts container:NAME: that container's namespaces, which must be running (docker's check). */
  private namespacesToJoin(record: ContainerRecord): NamespaceJoin[] {
    const joins: NamespaceJoin[] = [];
    const modes = { pid: record.hostConfig.pidMode, ipc: record.hostConfig.ipcMode, uts: record.hostConfig.utsMode } as const;
    for (const kind of ['pid', 'ipc', 'uts'] as const) {
      const mode = modes[kind];
      if (!mode?.startsWith('container:')) continue;
      const other = this.containers.get(mode.slice('container:'.length));
      if (!other.state.running) throw new EngineError(`cannot join ${kind.toUpperCase()} of a non running container: ${other.id}`, 'conflict');
      joins.push({ kind, path: `/proc/${other.state.pid}/ns/${kind}` });
    }
    return joins;
  }

  /** Reads the monitor's status lines until the container has started (recorded) or failed to (thrown). */
  private async followStart(shim: ShimSession, record: ContainerRecord, attachment: ContainerRecord['networkSettings'], attach?: AttachStreams): Promise<AttachHandle | undefined> {
    let handle: AttachHandle | undefined;
    for (;;) {
      const status = await shim.next();
      if (!status) throw new EngineError(`container ${record.name}: the monitor exited before reporting a start`, 'internal');
      if (status.kind === 'attach-ready' && attach) {
        handle = wireAttach(await connectAttach(this.paths.attachSocket(record.id)), attach);
        continue;
      }
      if (status.kind === 'error') {
        shim.close();
        await this.waitForExitFile(record.id, 2000);
        this.networks.release(record);
        this.markExited(record, status.code, status.message);
        const kind = status.code === 127 ? 'command-not-found' : status.code === 126 ? 'cannot-invoke' : 'internal';
        throw new EngineError(status.message, kind);
      }
      if (status.kind === 'started') {
        shim.close();
        this.markStarted(record, status.pid, attachment);
        return handle;
      }
    }
  }

  private markStarted(record: ContainerRecord, pid: number, attachment: ContainerRecord['networkSettings']): void {
    const now = new Date().toISOString();
    const { shimPid } = parsePidFile(fs.readFileSync(this.paths.pidFile(record.id), 'utf8'));
    const started: ContainerRecord = {
      ...record,
      bootId: bootId(),
      networkSettings: attachment,
      restartCount: 0, // docker counts the policy's restarts since the user's last start
      manuallyStopped: false,
      state: { ...record.state, health: record.healthcheck ? { status: 'starting', failingStreak: 0, log: [] } : undefined, status: 'running', running: true, paused: false, pid, shimPid, exitCode: 0, oomKilled: false, error: '', startedAt: now, finishedAt: ZERO_TIME },
    };
    this.containers.records.write(started);
    this.emit(containerEvent('start', started));
  }

  private markExited(record: ContainerRecord, exitCode: number, error: string): void {
    const exit = readExitFile(this.paths.exitFile(record.id));
    const updated: ContainerRecord = {
      ...record,
      state: { ...record.state, status: 'exited', running: false, paused: false, pid: 0, shimPid: 0, exitCode: exit?.exitCode ?? exitCode, oomKilled: exit?.oomKilled ?? false, error, finishedAt: exit?.finishedAt ?? new Date().toISOString() },
    };
    this.containers.records.write(updated);
    if (claimDie(this.paths, record.id)) this.emit(containerEvent('die', updated, { exitCode: updated.state.exitCode }));
  }

  private async waitForExitFile(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (fs.existsSync(this.paths.exitFile(id))) return true;
      await sleep(5);
    }
    return false;
  }

  async attach(ref: string, streams: AttachStreams): Promise<AttachHandle> {
    const r = this.containers.get(ref);
    if (!r.state.running) throw new EngineError(`You cannot attach to a stopped container, start it first`, 'conflict');
    return wireAttach(await connectAttach(this.paths.attachSocket(r.id)), streams);
  }

  // ---- wait / stop / kill ---------------------------------------------------------------

  /** Resolves with the exit code once the container is not running. */
  async wait(ref: string, signal?: AbortSignal): Promise<number> {
    const id = this.containers.records.find(ref).id;
    const dir = this.paths.dir(id);
    let watcher: fs.FSWatcher | undefined;
    let wake: (() => void) | undefined;
    try {
      watcher = fs.watch(dir, () => wake?.());
    } catch { /* polling below still works */ }
    try {
      for (;;) {
        if (signal?.aborted) throw new EngineError('wait aborted', 'internal');
        const r = this.containers.get(id);
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
    const r = this.containers.get(ref);
    if (!r.state.running) throw new EngineError(`cannot kill container: ${ref}: container ${r.id} is not running`, 'conflict');
    const num = signalNumber(signal);
    // docker: a kill that stops (SIGKILL, the stop signal) ends the restarts; any kill marks the
    // container stopped by the user for boot
    const stops = num === 9 || num === signalNumber(r.config.stopSignal);
    this.markStoppedByUser(r, stops);
    if (num === 9 && monitorGone(r.state)) {
      await this.killWithoutMonitor(r);
    } else if (r.state.status === 'restarting') {
      if (stops) signalMonitor(r); // between runs: the monitor ends its back-off, and the restarts
    } else {
      try {
        process.kill(r.state.pid, num);
      } catch (err) {
        // it exited since the record was read (a policy's run ending): the stop file ends its restarts
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
      // A frozen task acts on SIGKILL only once thawed (cgroup v1).
      if (r.state.paused && num === 9) setFrozen(r.cgroupPaths, false);
    }
    this.emit(containerEvent('kill', r, { signal: String(num) }));
  }

  async stop(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const r = this.containers.get(ref);
    if (!r.state.running) return;
    const timeout = timeoutSeconds ?? r.config.stopTimeout;
    const num = signalNumber(signal ?? r.config.stopSignal); // a bad -s fails here, not as a timeout
    this.markStoppedByUser(r);
    try {
      if (r.state.status === 'restarting') signalMonitor(r);
      else process.kill(r.state.pid, num);
      if (r.state.paused) setFrozen(r.cgroupPaths, false);
      this.emit(containerEvent('kill', r, { signal: String(num) })); // docker's stop: kill, die, stop
    } catch { /* already gone */ }
    if (!(await this.waitStopped(r.id, timeout * 1000))) {
      if (monitorGone(r.state)) await killGroupProcesses(r.cgroupPaths);
      else try { process.kill(r.state.pid, 'SIGKILL'); } catch { /* gone */ }
      await this.waitStopped(r.id, 10_000);
    }
    if (monitorGone(r.state)) await this.killWithoutMonitor(r);
    this.emit(containerEvent('stop', r));
  }

  /**
   * The user's stop or kill: the monitor finds the stop file when the container exits and does
   * not restart it; the record remembers it for `system boot` (unless-stopped stays stopped).
   */
  private markStoppedByUser(r: ContainerRecord, noRestart = true): void {
    if (noRestart) {
      try { fs.writeFileSync(this.paths.stopFile(r.id), ''); } catch { /* no run dir: nothing runs to restart */ }
    }
    if (!r.manuallyStopped) this.containers.records.write({ ...this.containers.get(r.id), manuallyStopped: true });
  }

  /**
   * A container whose monitor died: its processes killed in its groups, then what the monitor
   * would have done after (the record reconciled, which unmounts the root and releases the
   * network; the groups removed once the kernel lets go of them), so that it can start again.
   */
  private async killWithoutMonitor(r: ContainerRecord): Promise<void> {
    await killGroupProcesses(r.cgroupPaths);
    this.containers.get(r.id);
    await removeCgroupsWhenFree(r.cgroupPaths);
  }

  /** Before a remove: a running container is refused, or with `force` killed and waited for. Returns its id. */
  async stopForRemoval(ref: string, force: boolean): Promise<string> {
    const r = this.containers.get(ref);
    if (r.state.running) {
      if (!force) {
        throw new EngineError(`cannot remove container "${r.name}": container is ${r.state.paused ? 'paused' : 'running'}: stop the container before removing or force remove`, 'conflict');
      }
      await this.kill(r.id, 'SIGKILL');
      await this.waitStopped(r.id, 10_000);
    }
    return r.id;
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

  async restart(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const r = this.containers.get(ref);
    await this.stop(r.id, timeoutSeconds, signal);
    // RestartCount counts restarts by a restart policy only, as in docker, not this verb's
    await this.start(r.id);
    this.emit(containerEvent('restart', r));
  }

  // ---- update ----------------------------------------------------------------------------

  /** `update`: limits and restart policy, live when the container runs, and for its next start. */
  async update(ref: string, opts: UpdateOptions): Promise<UpdateResult> {
    const found = this.containers.get(ref);
    return withNonReentrantLock(this.paths.lock(found.id), async () => {
      const { record, warnings } = applyUpdate(this.paths, this.containers.get(found.id), opts);
      this.containers.records.write(record);
      this.emit(containerEvent('update', record));
      return { warnings };
    });
  }

  // ---- boot ----------------------------------------------------------------------------

  /** After a reboot (`system boot`): starts the containers whose restart policy says so; returns their ids. */
  async boot(): Promise<{ started: string[]; failed: Array<{ id: string; error: string }> }> {
    const started: string[] = [];
    const failed: Array<{ id: string; error: string }> = [];
    for (const { id } of this.containers.records.all()) {
      const r = this.containers.get(id);
      if (r.state.running || !startsAtBoot(r)) continue;
      try {
        await this.start(id);
        started.push(id);
      } catch (err) {
        failed.push({ id, error: (err as Error).message });
      }
    }
    return { started, failed };
  }

  // ---- pause ----------------------------------------------------------------------------

  pause(ref: string): void {
    const r = this.containers.get(ref);
    if (!r.state.running) throw new EngineError(`Container ${r.id} is not running`, 'conflict');
    if (r.state.paused) throw new EngineError(`Container ${r.id} is already paused`, 'conflict');
    setFrozen(r.cgroupPaths, true);
    this.containers.records.write({ ...r, state: { ...r.state, status: 'paused', paused: true } });
    this.emit(containerEvent('pause', r));
  }

  unpause(ref: string): void {
    const r = this.containers.get(ref);
    if (!r.state.paused) throw new EngineError(`Container ${r.id} is not paused`, 'conflict');
    setFrozen(r.cgroupPaths, false);
    this.containers.records.write({ ...r, state: { ...r.state, status: 'running', paused: false } });
    this.emit(containerEvent('unpause', r));
  }
}
