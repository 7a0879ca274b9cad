// The Engine: the one object the CLI and the TUI talk to. It wires the image store, the
// container records, the tasks that run them, networks and volumes together and announces
// what happens as typed events.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import {
  type BootResult,
  type AttachHandle,
  type AttachStreams,
  type CheckProblem,
  type CommitOptions,
  type ContainerChange,
  type ContainerPruneFilters,
  type ContainerRecord,
  type ContainerSummary,
  type CreateOptions,
  type EngineApi,
  type EngineEvent,
  type EventMessage,
  type EventsOptions,
  type EngineInfo,
  type EngineOptions,
  type ExecOptions,
  type ImageRecord,
  type ImageSummary,
  type ImportOptions,
  type LogEntry,
  type LogReadOptions,
  type NetworkCreateOptions,
  type NetworkRecord,
  type PublishedPort,
  type VolumeRecord,
  type ProcessRow,
  type PullOptions,
  type PullResult,
  type PushOptions,
  type PushResult,
  type SearchResult,
  type StatsSample,
  type UpdateOptions,
  type UpdateResult,
} from './api.js';
import { EngineError } from './errors.js';
import { ContainerService } from './containers/service.js';
import { ContainerPaths } from './containers/paths.js';
import { RecordStore } from './containers/record-store.js';
import { networkView } from './containers/network-view.js';
import { TaskService } from './tasks/service.js';
import { NetworkService } from './network/service.js';
import { VolumeService } from './volumes/service.js';
import { readLog } from './containers/log-reader.js';
import { processRows, psTop } from './containers/top.js';
import { prunable } from './containers/prune.js';
import { treeSize } from './images/disk-usage.js';
import { StatsSampler } from './containers/stats.js';
import { prepareExec, runExec } from './containers/exec.js';
import { checkContainers } from './containers/check.js';
import { finishInterruptedContainers } from './containers/interrupted.js';
import { thawAfterKilledCommits } from './containers/commit-freeze.js';
import { storeLogDefaults } from './containers/log-defaults.js';
import { abandonedBuildSteps } from './containers/build-steps.js';
import { checkVolumes } from './volumes/check.js';
import { StoreWatcher } from './containers/store-watcher.js';
import { usernsSupport } from './containers/userns-mode.js';
import { cgroupPids } from './runtime/cgroups.js';
import { describeLayout, detectCgroupLayout } from './runtime/cgroup-layout.js';
import { ImageService } from './images/image-service.js';
import type { RegistryService } from './registry/registry-service.js';
import { removeAbandonedTemps } from './store/abandoned.js';
import { freeingSpace, keepSpaceReserve } from './store/space-reserve.js';
import { EventJournal } from './events/journal.js';
import { eventMessage } from './events/message.js';
import { eventsInWindow } from './events/window.js';
import type { FileNode, ImageComparison, LayerAnalysis, LayerFileContent, TreeTarget, TreeView } from './layers/trees/types.js';
import type { BuildCachePruned, BuildEvent, BuildOptions, BuildResult } from './build/types.js';
import { rootlessInfo } from './rootless/info.js';

export const VERSION = '0.1.0';

export class Engine implements EngineApi {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  readonly images: ImageService;
  readonly containers: ContainerService;
  readonly tasks: TaskService;
  readonly networks: NetworkService;
  readonly volumes: VolumeService;
  private readonly sampler = new StatsSampler();
  private watcher?: StoreWatcher;
  private storeWatchers = 0;
  private readonly journal: EventJournal;

  constructor(readonly options: EngineOptions) {
    fs.mkdirSync(options.root, { recursive: true, mode: 0o711 });
    fs.mkdirSync(options.runtimeDir, { recursive: true, mode: 0o700 });
    this.images = new ImageService(options.root);
    this.journal = new EventJournal(options.root);
    removeAbandonedTemps(this.images.paths);
    const emit = (e: EngineEvent) => this.emit(e);
    const paths = new ContainerPaths(options.root, options.runtimeDir);
    const records = new RecordStore(paths);
    this.networks = new NetworkService(options.root, networkView(records, paths));
    this.volumes = new VolumeService(options.root, () => records.all());
    this.containers = new ContainerService(paths, records, this.images, this.networks, this.volumes, emit);
    this.tasks = new TaskService(this.containers, this.images, this.networks, this.volumes, emit, options.restartBackoff);
    // what strata processes killed mid-create or mid-remove left, as the temps above
    finishInterruptedContainers(paths, (names) => this.volumes.removeUnused(names));
    this.volumes.store.finishInterrupted();
    thawAfterKilledCommits(this.images.paths.tmpDir, (id) => this.tasks.unpause(id));
    keepSpaceReserve(options.root);
  }

  /** Removes the RUN-step containers of builds whose process died (containers/build-steps.ts). */
  async removeAbandonedBuildSteps(): Promise<void> {
    for (const record of abandonedBuildSteps(this.containers.records.all())) {
      await this.removeContainer(record.id, true).catch(() => { /* another process removing it too */ });
    }
  }

  private emit(event: EngineEvent): void {
    const message = eventMessage(event);
    if (message) this.journal.append(message);
    for (const l of this.listeners) {
      try { l(event); } catch { /* a listener's bug must not break the engine */ }
    }
  }

  on(listener: (event: EngineEvent) => void, options: { watchStore?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (options.watchStore) {
      this.storeWatchers++;
      this.watcher ??= new StoreWatcher(
        { root: this.options.root, containers: this.containers.paths.containersDir, images: this.images.paths.imagesDir, volumes: this.volumes.store.dir, networks: this.networks.store.dir },
        (what) => this.emit({ type: 'store-changed', what }),
      );
      this.watcher.start();
    }
    return () => {
      this.listeners.delete(listener);
      if (options.watchStore && --this.storeWatchers === 0) {
        this.watcher?.stop();
        this.watcher = undefined;
      }
    };
  }

  events(opts: EventsOptions): AsyncIterable<EventMessage> {
    return eventsInWindow(this.journal, opts);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.watcher?.stop();
    this.watcher = undefined;
  }

  // ---- images -------------------------------------------------------------------------

  async importImage(tar: NodeJS.ReadableStream, ref: string | undefined, opts?: ImportOptions): Promise<ImageRecord> {
    const record = await this.images.importImage(tar, ref, opts);
    this.emit({ type: 'image', action: 'import', id: record.id, ref });
    return record;
  }

  listImages(all?: boolean): Promise<ImageSummary[]> { return this.images.list(all); }
  inspectImage(ref: string): Promise<ImageRecord> { return this.images.inspect(ref); }

  async removeImage(ref: string, force = false): Promise<string[]> {
    const lines = await freeingSpace(this.options.root, () => this.images.remove(ref, force, (id) => this.containers.isImageUsed(id)));
    this.emit({ type: 'image', action: 'delete', id: ref });
    return lines;
  }

  async tagImage(source: string, target: string): Promise<void> {
    await this.images.tag(source, target);
    this.emit({ type: 'image', action: 'tag', id: source, ref: target });
  }

  // loaded on first use: the HTTP client and auth code are no cost to verbs that never pull or push
  private registryService?: Promise<RegistryService>;
  private registry(): Promise<RegistryService> {
    this.registryService ??= import('./registry/registry-service.js').then(({ RegistryService: Service }) => new Service(this.images, this.options.registry));
    return this.registryService;
  }

  private progress = (id: string, action: string, current: number, total: number, detail: string) => {
    this.emit({ type: 'progress', id, action, current, total, detail });
  };

  async pullImage(ref: string, opts: PullOptions = {}): Promise<PullResult> {
    const result = await (await this.registry()).pull(ref, opts, this.progress);
    this.emit({ type: 'image', action: 'pull', id: result.id, ref: result.reference });
    return result;
  }

  async pushImage(ref: string, opts: PushOptions = {}): Promise<PushResult> {
    const result = await (await this.registry()).push(ref, opts, this.progress);
    this.emit({ type: 'image', action: 'push', id: ref, ref: `${result.repository}:${result.tag}` });
    return result;
  }

  async login(server: string, username: string, password: string): Promise<void> {
    return (await this.registry()).login(server, { username, password });
  }

  async logout(server: string): Promise<'removed' | 'not-logged-in'> {
    return (await this.registry()).logout(server);
  }
  async searchImages(term: string, limit = 25): Promise<SearchResult[]> {
    return (await this.registry()).search(term, limit);
  }


  // ---- containers -----------------------------------------------------------------------

  createContainer(opts: CreateOptions): Promise<ContainerRecord> { return this.containers.create(opts); }
  startContainer(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined> { return this.tasks.start(ref, attach); }
  attachContainer(ref: string, streams: AttachStreams): Promise<AttachHandle> { return this.tasks.attach(ref, streams); }

  async runContainer(opts: CreateOptions, attach?: AttachStreams): Promise<{ record: ContainerRecord; handle?: AttachHandle }> {
    const created = await this.containers.create(opts);
    try {
      const handle = await this.tasks.start(created.id, attach);
      return { record: this.containers.get(created.id), handle };
    } catch (err) {
      if (opts.autoRemove) await this.removeContainer(created.id, true).catch(() => {});
      throw err;
    }
  }

  stopContainer(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> { return this.tasks.stop(ref, timeoutSeconds, signal); }
  killContainer(ref: string, signal?: string): Promise<void> { return this.tasks.kill(ref, signal); }
  restartContainer(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> { return this.tasks.restart(ref, timeoutSeconds, signal); }
  updateContainer(ref: string, opts: UpdateOptions): Promise<UpdateResult> { return this.tasks.update(ref, opts); }
  bootContainers(): Promise<BootResult> { return this.tasks.boot(); }
  async pauseContainer(ref: string): Promise<void> { this.tasks.pause(ref); }
  async unpauseContainer(ref: string): Promise<void> { this.tasks.unpause(ref); }
  waitContainer(ref: string, signal?: AbortSignal): Promise<number> { return this.tasks.wait(ref, signal); }

  async removeContainer(ref: string, force = false, removeVolumes = false): Promise<void> {
    await this.tasks.remove(ref, force, (id) => freeingSpace(this.options.root, () => this.containers.remove(id, removeVolumes)));
  }

  renameContainer(ref: string, newName: string): Promise<void> { return this.containers.rename(ref, newName); }
  async listContainers(all = false): Promise<ContainerSummary[]> { return this.containers.list(all); }
  async inspectContainer(ref: string): Promise<ContainerRecord> { return this.containers.get(ref); }

  readLogs(ref: string, opts: LogReadOptions = {}): AsyncIterable<LogEntry> {
    const record = this.containers.get(ref);
    return readLog(record.logPath, opts, () => this.containers.get(record.id).state.running);
  }

  async top(ref: string): Promise<ProcessRow[]> {
    return processRows(this.runningPids(ref));
  }

  async topWithPs(ref: string, psArgs: string[]): Promise<{ titles: string[]; processes: string[][] }> {
    return psTop(this.runningPids(ref), psArgs);
  }

  private runningPids(ref: string): number[] {
    const r = this.containers.get(ref);
    if (!r.state.running) throw new EngineError(`container ${r.id} is not running`, 'conflict');
    return cgroupPids(r.cgroupPaths);
  }

  async pruneContainers(filters?: ContainerPruneFilters): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    for (const raw of this.containers.records.all()) {
      try {
        const r = this.containers.get(raw.id);
        if (!prunable(r, filters)) continue;
        const size = treeSize(this.containers.paths.upper(r.id));
        await this.containers.remove(r.id);
        deleted.push(r.id);
        spaceReclaimed += size;
      } catch { /* started or removed meanwhile */ }
    }
    return { deleted, spaceReclaimed };
  }

  async stats(ref: string): Promise<StatsSample> {
    const unchanged = this.sampler.unchanged(ref);
    if (unchanged) return unchanged;
    const record = this.containers.get(ref);
    return this.sampler.sample(record, ref, this.containers.paths.record(record.id));
  }

  async exec(ref: string, opts: ExecOptions, stdio: 'inherit' | 'pipe') {
    return runExec(this.containers.get(ref), this.containers.paths, opts, stdio);
  }

  async execSpecPath(ref: string, opts: ExecOptions): Promise<{ shim: string; args: string[] }> {
    const { shim, args } = prepareExec(this.containers.get(ref), this.containers.paths, opts);
    return { shim, args };
  }

  // ---- networks and volumes ---------------------------------------------------------------

  async containerPorts(ref: string): Promise<PublishedPort[]> { return this.containers.get(ref).networkSettings?.ports ?? []; }
  async createNetwork(name: string, opts?: NetworkCreateOptions): Promise<NetworkRecord> {
    const network = await this.networks.create(name, opts);
    this.emit({ type: 'network', action: 'create', id: network.id, name: network.name, driver: network.driver });
    return network;
  }
  async listNetworks(): Promise<NetworkRecord[]> { return this.networks.list(); }
  async inspectNetwork(ref: string) { return this.networks.inspect(ref); }
  async removeNetwork(ref: string): Promise<void> {
    const { network } = await this.networks.inspect(ref);
    this.networks.remove(ref);
    this.emit({ type: 'network', action: 'destroy', id: network.id, name: network.name, driver: network.driver });
  }
  async pruneNetworks(): Promise<string[]> {
    const before = new Map(this.networks.list().map((n) => [n.name, n]));
    const removed = this.networks.prune();
    for (const name of removed) {
      const n = before.get(name);
      if (n) this.emit({ type: 'network', action: 'destroy', id: n.id, name: n.name, driver: n.driver });
    }
    return removed;
  }

  async connectNetwork(network: string, container: string, opts: { aliases?: string[]; ipv4Address?: string } = {}): Promise<void> {
    this.containers.connectNetwork(container, network, opts);
    await this.networkEvent('connect', network, container);
  }

  async disconnectNetwork(network: string, container: string): Promise<void> {
    this.containers.disconnectNetwork(container, network);
    await this.networkEvent('disconnect', network, container);
  }

  private async networkEvent(action: 'connect' | 'disconnect', ref: string, container: string): Promise<void> {
    const { network } = await this.networks.inspect(ref);
    this.emit({ type: 'network', action, id: network.id, name: network.name, driver: network.driver, container: this.containers.get(container).id });
  }
  async releaseIdleNetworks(): Promise<string[]> { return this.networks.releaseIdle(); }
  async createVolume(name?: string, labels?: Record<string, string>): Promise<VolumeRecord> {
    const volume = await this.volumes.create(name, labels);
    this.emit({ type: 'volume', action: 'create', name: volume.name, driver: volume.driver });
    return volume;
  }
  async listVolumes(): Promise<VolumeRecord[]> { return this.volumes.list(); }
  async inspectVolume(name: string): Promise<VolumeRecord> { return this.volumes.inspect(name); }
  async removeVolume(name: string, force?: boolean): Promise<void> {
    const { driver } = await this.volumes.inspect(name);
    await freeingSpace(this.options.root, async () => this.volumes.remove(name, force));
    this.emit({ type: 'volume', action: 'destroy', name, driver });
  }
  async pruneVolumes(): Promise<{ removed: string[]; reclaimedBytes: number }> {
    const pruned = await freeingSpace(this.options.root, async () => this.volumes.prune());
    for (const name of pruned.removed) this.emit({ type: 'volume', action: 'destroy', name, driver: 'local' });
    return pruned;
  }

  // ---- system ---------------------------------------------------------------------------

  async info(): Promise<EngineInfo> {
    const list = this.containers.list(true);
    const images = await this.images.list();
    const layout = detectCgroupLayout();
    return {
      root: this.options.root,
      runtimeDir: this.options.runtimeDir,
      containers: list.length,
      running: list.filter((c) => c.status === 'running').length,
      paused: list.filter((c) => c.status === 'paused').length,
      stopped: list.filter((c) => c.status !== 'running' && c.status !== 'paused').length,
      images: images.length,
      cgroupLayout: describeLayout(layout),
      kernel: os.release(),
      os: readOsName(),
      cpus: os.cpus().length,
      memTotal: os.totalmem(),
      version: VERSION,
      logDefaults: storeLogDefaults(),
      userns: usernsSupport(),
      rootless: rootlessInfo(layout),
    };
  }

  // ---- commit / diff / build ------------------------------------------------------------

  async commitContainer(ref: string, target: string | undefined, opts: CommitOptions = {}): Promise<ImageRecord> {
    const { commitContainer } = await import('./containers/commit.js');
    const image = await commitContainer(this.containers, this.tasks, this.images, ref, target, opts);
    this.emit({ type: 'image', action: 'commit', id: image.id, ref: target });
    return this.images.resolve(image.id);
  }

  async diffContainer(ref: string): Promise<ContainerChange[]> {
    const { containerChanges } = await import('./containers/diff.js');
    const { diffBaseImage } = await import('./containers/commit.js');
    const record = this.containers.get(ref);
    const current = this.images.layerDirs(await this.images.resolve(record.config.imageId));
    // After a commit of the stopped container its own layers sit between the base and the upper dir.
    const base = await this.images.resolve(diffBaseImage(this.containers, record)).then((img) => this.images.layerDirs(img), () => current);
    const own = current.slice(0, current.length - base.length);
    return containerChanges([this.containers.paths.upper(record.id), ...own], base);
  }

  async build(opts: BuildOptions): Promise<BuildResult> {
    const { runBuild } = await import('./build/builder.js');
    // journaled as it goes, so another process (a TUI) can show a build this one runs
    const id = randomBytes(6).toString('hex');
    const pid = process.pid;
    const started = Date.now();
    this.emit({ type: 'build', action: 'start', id, pid, context: opts.context, tags: opts.tags ?? [] });
    let cacheHit = 0; // the step a 'cached' event named: step-done's own flag is also set for a FROM
    const onEvent = (event: BuildEvent) => {
      if (event.type === 'cached') cacheHit = event.step;
      if (event.type === 'step') this.emit({ type: 'build', action: 'step', id, pid, step: event.step, total: event.total, text: event.text });
      else if (event.type === 'step-done') this.emit({ type: 'build', action: 'step-done', id, pid, step: event.step, cached: cacheHit === event.step, ms: event.ms });
      opts.onEvent?.(event);
    };
    try {
      const result = await runBuild(this, { ...opts, onEvent });
      this.emit({ type: 'build', action: 'end', id, pid, ms: Date.now() - started, imageId: result.imageId, tags: result.tags });
      this.emit({ type: 'image', action: 'build', id: result.imageId, ref: opts.tags?.[0] });
      return result;
    } catch (error) {
      this.emit({ type: 'build', action: 'end', id, pid, ms: Date.now() - started, error: (error instanceof Error ? error.message : String(error)).split('\n')[0] });
      throw error;
    }
  }

  async pruneBuildCache(): Promise<BuildCachePruned> {
    const { pruneBuildCache } = await import('./build/cache.js');
    return pruneBuildCache(this.images, (id) => this.containers.isImageUsed(id));
  }

  async check(): Promise<CheckProblem[]> {
    const imageProblems = await this.images.check();
    return [...imageProblems, ...checkContainers(this.containers, (id) => this.images.exists(id)), ...checkVolumes(this.volumes.store)];
  }

  // ---- layer trees ----------------------------------------------------------------------

  private layerTreeService?: Promise<import('./layers/trees/tree-service.js').LayerTreeService>;

  private layerTrees() {
    this.layerTreeService ??= import('./layers/trees/tree-service.js').then((m) => new m.LayerTreeService(this.images, {
      layerSource: (ref) => {
        const record = this.containers.get(ref);
        return { name: record.name, imageId: record.config.imageId, imageRef: record.config.image, upperDir: this.containers.paths.upper(record.id) };
      },
    }));
    return this.layerTreeService;
  }

  async analyseLayers(target: TreeTarget): Promise<LayerAnalysis> { return (await this.layerTrees()).analyse(target); }
  async layerTree(target: TreeTarget, layer: number, view: TreeView): Promise<FileNode> { return (await this.layerTrees()).tree(target, layer, view); }
  async compareImages(base: string, other: string): Promise<ImageComparison> { return (await this.layerTrees()).compare(base, other); }
  async readLayerFile(target: TreeTarget, layer: number, path: string, maxBytes?: number): Promise<LayerFileContent> { return (await this.layerTrees()).readFile(target, layer, path, maxBytes); }
  async saveLayerFile(target: TreeTarget, layer: number, path: string, hostPath: string, opts: { overwrite?: boolean } = {}): Promise<string> { return (await this.layerTrees()).saveFile(target, layer, path, hostPath, opts.overwrite ?? false); }

  // ---- archives, copies, image housekeeping -----------------------------------------------

  async saveImages(refs: string[], out: NodeJS.WritableStream, format?: import('./api.js').ArchiveFormat): Promise<void> {
    const { saveImages } = await import('./archive/save.js');
    await saveImages(this.images, refs, out, format);
  }

  async loadImages(input: NodeJS.ReadableStream): Promise<import('./api.js').LoadResult> {
    const { loadImages } = await import('./archive/load.js');
    const result = await loadImages(this.images, input);
    for (const image of result.images) this.emit({ type: 'image', action: 'import', id: image.id, ref: image.tags[0] });
    return result;
  }

  async imageHistory(ref: string): Promise<import('./api.js').ImageHistoryEntry[]> {
    const { imageHistory } = await import('./images/history.js');
    return imageHistory(this.images, ref);
  }

  async pruneImages(all = false): Promise<import('./api.js').ImagePruneReport> {
    const { pruneImages } = await import('./images/prune.js');
    const report = await freeingSpace(this.options.root, () => pruneImages(this.images, all, (id) => this.containers.isImageUsed(id)));
    for (const id of report.deleted) if (this.images.paths && id.startsWith('sha256:')) this.emit({ type: 'image', action: 'delete', id });
    return report;
  }

  async diskUsage(): Promise<import('./api.js').DiskUsage> {
    const [{ diskUsage }, { containerSummary }] = await Promise.all([import('./images/disk-usage.js'), import('./containers/summary.js')]);
    const containers = this.containers.records.all().map((r) => this.containers.get(r.id));
    return diskUsage(this.images, {
      containers,
      upperDir: (id) => this.containers.paths.upper(id),
      commandOf: (r) => containerSummary(r).command,
      statusOf: (r) => containerSummary(r).statusText,
    });
  }

  async exportContainer(ref: string, out: NodeJS.WritableStream): Promise<void> {
    const { exportContainer } = await import('./containers/export.js');
    await exportContainer(this.containers, this.images, ref, out);
  }

  async copyFromContainer(ref: string, src: string, to: import('./api.js').CopyTarget, opts?: import('./api.js').CopyOptions): Promise<number> {
    const { copyFromContainer } = await import('./containers/copy.js');
    return copyFromContainer(this.containers, this.images, ref, src, to, opts);
  }

  async copyToContainer(ref: string, dest: string, from: import('./api.js').CopySource, opts?: import('./api.js').CopyOptions): Promise<number> {
    const { copyToContainer } = await import('./containers/copy.js');
    return copyToContainer(this.containers, this.images, ref, dest, from, opts);
  }
}

function readOsName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

export async function openEngine(options: EngineOptions): Promise<EngineApi> {
  const engine = new Engine(options);
  await engine.removeAbandonedBuildSteps();
  return engine;
}
