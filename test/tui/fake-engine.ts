// An in-memory EngineApi for the TUI's component tests: containers and images are plain
// records, events are emitted like the engine's, and logs can be pushed while followed.
import { EventEmitter } from 'node:events';
import {
  type ContainerStatus,
  type ContainerSummary,
  type EngineApi,
  type EngineEvent,
  EngineError,
  type ImageSummary,
  type LogEntry,
  type LogReadOptions,
  type ProcessRow,
  type StatsSample,
} from '../../source/engine/api.js';

export function summary(name: string, status: ContainerStatus = 'running', extra: Partial<ContainerSummary> = {}): ContainerSummary {
  const id = Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64);
  return {
    id, name, image: 'demo/busybox:latest', imageId: 'sha256:' + 'a'.repeat(64), command: 'sh', created: new Date().toISOString(),
    status, statusText: status === 'running' ? 'Up 3 minutes' : status === 'paused' ? 'Up 3 minutes (Paused)' : status === 'exited' ? 'Exited (0) 1 minute ago' : 'Created',
    exitCode: 0, pid: status === 'running' ? 100 : 0, ...extra,
  };
}

export class FakeEngine {
  readonly options = { root: '/fake/root', runtimeDir: '/fake/run' };
  readonly calls: Array<[string, ...unknown[]]> = [];
  containers: ContainerSummary[] = [];
  images: ImageSummary[] = [];
  failNext?: EngineError;
  statsCalls = 0;
  private readonly events = new EventEmitter();
  private readonly logs = new EventEmitter();
  private readonly history = new Map<string, LogEntry[]>();

  on(listener: (event: EngineEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }
  emit(event: EngineEvent) {
    this.events.emit('event', event);
  }
  async close() {}

  private find(ref: string): ContainerSummary {
    const c = this.containers.find((x) => x.id === ref || x.name === ref || x.id.startsWith(ref));
    if (!c) throw new EngineError(`No such container: ${ref}`, 'not-found');
    return c;
  }
  private act(action: string, ref: string, change: (c: ContainerSummary) => void) {
    this.calls.push([action, ref]);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const c = this.find(ref);
    change(c);
    this.emit({ type: 'container', action: action as 'start', id: c.id, name: c.name });
  }

  async listContainers() { return this.containers.map((c) => ({ ...c })); }
  async listImages() { return this.images; }
  async startContainer(ref: string) { this.act('start', ref, (c) => { c.status = 'running'; c.statusText = 'Up 1 second'; }); return undefined; }
  async stopContainer(ref: string) { this.act('stop', ref, (c) => { c.status = 'exited'; c.statusText = 'Exited (0) now'; }); }
  async restartContainer(ref: string) { this.act('restart', ref, (c) => { c.status = 'running'; }); }
  async pauseContainer(ref: string) { this.act('pause', ref, (c) => { c.status = 'paused'; c.statusText = 'Up 3 minutes (Paused)'; }); }
  async unpauseContainer(ref: string) { this.act('unpause', ref, (c) => { c.status = 'running'; c.statusText = 'Up 3 minutes'; }); }
  async killContainer(ref: string) { this.act('kill', ref, (c) => { c.status = 'exited'; c.exitCode = 137; }); }
  async removeContainer(ref: string, force?: boolean) {
    this.act('destroy', ref, () => undefined);
    this.calls.push(['rm-force', force]);
    const c = this.find(ref);
    this.containers = this.containers.filter((x) => x !== c);
  }
  async renameContainer(ref: string, newName: string) { this.act('rename', ref, (c) => { c.name = newName; }); }
  async inspectContainer(ref: string) { return { ...this.find(ref), state: { status: this.find(ref).status } } as never; }
  async inspectImage(ref: string) { return { id: ref, repoTags: [ref] } as never; }
  async removeImage(ref: string) { this.calls.push(['rmi', ref]); this.images = this.images.filter((i) => !i.repoTags.includes(ref)); this.emit({ type: 'image', action: 'delete', id: ref }); return [`Untagged: ${ref}`]; }
  async runContainer(opts: { image: string; name?: string; cmd?: string[]; env?: string[] }) {
    this.calls.push(['run', opts]);
    const c = summary(opts.name ?? 'generated', 'running', { image: opts.image });
    this.containers.push(c);
    this.emit({ type: 'container', action: 'start', id: c.id, name: c.name });
    return { record: { id: c.id, name: c.name } as never };
  }
  async stats(ref: string): Promise<StatsSample> {
    this.statsCalls++;
    const c = this.find(ref);
    return { id: c.id, name: c.name, read: new Date().toISOString(), cpuPercent: 12.5, cpuTotalNs: 0, memoryUsage: 5 * 1024 * 1024, memoryLimit: 1 << 30, pids: 3, blockRead: 4096, blockWrite: 0, netRx: 0, netTx: 0 };
  }
  async top(): Promise<ProcessRow[]> {
    return [{ uid: 'root', pid: 4242, ppid: 1, c: 0, stime: '12:00', tty: '?', time: '00:00:01', cmd: 'sh -c while :; do date; done' }];
  }

  /** Appends log lines to a container's log; followers see them. */
  log(ref: string, lines: string[], stream: 'stdout' | 'stderr' = 'stdout') {
    const id = this.find(ref).id;
    const list = this.history.get(id) ?? [];
    for (const line of lines) {
      const entry = { stream, time: new Date().toISOString(), line: line + '\n' };
      list.push(entry);
      this.logs.emit(id, entry);
    }
    this.history.set(id, list);
  }
  async *readLogs(ref: string, opts: LogReadOptions = {}): AsyncIterable<LogEntry> {
    const id = this.find(ref).id;
    const queue: LogEntry[] = [...(this.history.get(id) ?? [])].slice(-(opts.tail ?? Infinity));
    let wake: (() => void) | undefined;
    const onEntry = (e: LogEntry) => { queue.push(e); wake?.(); };
    this.logs.on(id, onEntry);
    opts.signal?.addEventListener('abort', () => wake?.());
    try {
      while (!opts.signal?.aborted) {
        while (queue.length) yield queue.shift()!;
        if (!opts.follow) return;
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      this.logs.off(id, onEntry);
    }
  }
  async execSpecPath() { return { shim: '/bin/sh', args: [] }; }
  asEngine(): EngineApi { return this as unknown as EngineApi; }
}
