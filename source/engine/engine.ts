// The Engine: the one object the CLI and the TUI talk to. It wires the image store, the
// container service and the runtime together and announces what happens as typed events.
import fs from 'node:fs';
import os from 'node:os';
import {
  EngineError,
  type AttachHandle,
  type AttachStreams,
  type CheckProblem,
  type ContainerRecord,
  type ContainerSummary,
  type CreateOptions,
  type EngineApi,
  type EngineEvent,
  type EngineInfo,
  type EngineOptions,
  type ExecOptions,
  type ImageRecord,
  type ImageSummary,
  type ImportOptions,
  type LogEntry,
  type LogReadOptions,
  type ProcessRow,
  type StatsSample,
} from './api.js';
import { ContainerService } from './containers/service.js';
import { readLog } from './containers/log-reader.js';
import { processRows } from './containers/top.js';
import { StatsSampler } from './containers/stats.js';
import { prepareExec, runExec } from './containers/exec.js';
import { checkContainers } from './containers/check.js';
import { StoreWatcher } from './containers/store-watcher.js';
import { cgroupPids } from './runtime/cgroups.js';
import { describeLayout, detectCgroupLayout } from './runtime/cgroup-layout.js';
import { ImageService } from './images/image-service.js';

export const VERSION = '0.1.0';

export class Engine implements EngineApi {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  readonly images: ImageService;
  readonly containers: ContainerService;
  private readonly sampler = new StatsSampler();
  private watcher?: StoreWatcher;
  private storeWatchers = 0;

  constructor(readonly options: EngineOptions) {
    fs.mkdirSync(options.root, { recursive: true, mode: 0o711 });
    fs.mkdirSync(options.runtimeDir, { recursive: true, mode: 0o700 });
    this.images = new ImageService(options.root);
    this.containers = new ContainerService(options.root, options.runtimeDir, this.images, (e) => this.emit(e));
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try { l(event); } catch { /* a listener's bug must not break the engine */ }
    }
  }

  on(listener: (event: EngineEvent) => void, options: { watchStore?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (options.watchStore) {
      this.storeWatchers++;
      this.watcher ??= new StoreWatcher(this.containers.paths.containersDir, () => this.emit({ type: 'store-changed', what: 'containers' }));
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

  listImages(): Promise<ImageSummary[]> { return this.images.list(); }
  inspectImage(ref: string): Promise<ImageRecord> { return this.images.inspect(ref); }

  async removeImage(ref: string, force = false): Promise<string[]> {
    const lines = await this.images.remove(ref, force, (id) => this.containers.isImageUsed(id));
    this.emit({ type: 'image', action: 'delete', id: ref });
    return lines;
  }

  async tagImage(source: string, target: string): Promise<void> {
    await this.images.tag(source, target);
    this.emit({ type: 'image', action: 'tag', id: source, ref: target });
  }

  // ---- containers -----------------------------------------------------------------------

  createContainer(opts: CreateOptions): Promise<ContainerRecord> { return this.containers.create(opts); }
  startContainer(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined> { return this.containers.start(ref, attach); }
  attachContainer(ref: string, streams: AttachStreams): Promise<AttachHandle> { return this.containers.attach(ref, streams); }

  async runContainer(opts: CreateOptions, attach?: AttachStreams): Promise<{ record: ContainerRecord; handle?: AttachHandle }> {
    const created = await this.containers.create(opts);
    try {
      const handle = await this.containers.start(created.id, attach);
      return { record: this.containers.get(created.id), handle };
    } catch (err) {
      if (opts.autoRemove) await this.containers.remove(created.id, true).catch(() => {});
      throw err;
    }
  }

  stopContainer(ref: string, timeoutSeconds?: number): Promise<void> { return this.containers.stop(ref, timeoutSeconds); }
  killContainer(ref: string, signal?: string): Promise<void> { return this.containers.kill(ref, signal); }
  restartContainer(ref: string, timeoutSeconds?: number): Promise<void> { return this.containers.restart(ref, timeoutSeconds); }
  async pauseContainer(ref: string): Promise<void> { this.containers.pause(ref); }
  async unpauseContainer(ref: string): Promise<void> { this.containers.unpause(ref); }
  waitContainer(ref: string, signal?: AbortSignal): Promise<number> { return this.containers.wait(ref, signal); }
  removeContainer(ref: string, force?: boolean): Promise<void> { return this.containers.remove(ref, force); }
  renameContainer(ref: string, newName: string): Promise<void> { return this.containers.rename(ref, newName); }
  async listContainers(all = false): Promise<ContainerSummary[]> { return this.containers.list(all); }
  async inspectContainer(ref: string): Promise<ContainerRecord> { return this.containers.get(ref); }

  readLogs(ref: string, opts: LogReadOptions = {}): AsyncIterable<LogEntry> {
    const record = this.containers.get(ref);
    return readLog(record.logPath, opts, () => this.containers.get(record.id).state.running);
  }

  async top(ref: string): Promise<ProcessRow[]> {
    const r = this.containers.get(ref);
    if (!r.state.running) throw new EngineError(`container ${r.id} is not running`, 'conflict');
    return processRows(cgroupPids(r.cgroupPaths));
  }

  stats(ref: string): Promise<StatsSample> {
    return this.sampler.sample(this.containers.get(ref));
  }

  async exec(ref: string, opts: ExecOptions, stdio: 'inherit' | 'pipe') {
    return runExec(this.containers.get(ref), this.containers.paths, opts, stdio);
  }

  async execSpecPath(ref: string, opts: ExecOptions): Promise<{ shim: string; args: string[] }> {
    const { shim, args } = prepareExec(this.containers.get(ref), this.containers.paths, opts);
    return { shim, args };
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
    };
  }

  async check(): Promise<CheckProblem[]> {
    const imageProblems = await this.images.check();
    return [...imageProblems, ...checkContainers(this.containers, (id) => this.images.exists(id))];
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
  return new Engine(options);
}
