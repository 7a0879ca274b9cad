// An in-memory EngineApi for testing the verbs without root: containers "run" a script of
// output lines and an exit code; every call is recorded.
import { PassThrough, Writable } from 'node:stream';
import {
  type AttachHandle,
  type AttachStreams,
  type ContainerRecord,
  type ContainerSummary,
  type CreateOptions,
  type EngineApi,
  EngineError,
  type ImageRecord,
  type ImageSummary,
  type LogEntry,
  type LogReadOptions,
  type StatsSample,
} from '../../source/engine/api.js';
import { CliContext, type CliStreams } from '../../source/cli/context.js';

export interface Script {
  stdout?: string[];
  stderr?: string[];
  exitCode?: number;
  echoStdin?: boolean; // copy stdin to stdout until it ends
  failStart?: EngineError;
}

const ZERO = '0001-01-01T00:00:00Z';

export class FakeEngine {
  readonly options = { root: '/fake', runtimeDir: '/fake-run' };
  readonly calls: Array<[string, ...unknown[]]> = [];
  readonly containers = new Map<string, ContainerRecord>();
  readonly logs = new Map<string, LogEntry[]>();
  images: ImageSummary[] = [];
  script: (opts: CreateOptions) => Script = () => ({});
  private readonly scripts = new Map<string, Script>();
  private next = 1;

  on() {
    return () => undefined;
  }
  async close() {}

  private find(ref: string): ContainerRecord {
    for (const c of this.containers.values()) if (c.id === ref || c.name === ref || c.id.startsWith(ref)) return c;
    throw new EngineError(`No such container: ${ref}`, 'not-found');
  }

  async createContainer(opts: CreateOptions): Promise<ContainerRecord> {
    this.calls.push(['create', opts]);
    if (opts.image === 'missing') throw new EngineError(`No such image: ${opts.image}`, 'not-found');
    const id = String(this.next++).padStart(64, 'f');
    const cmd = opts.cmd ?? ['sh'];
    const record = {
      id,
      name: opts.name ?? `fake_${id.slice(-4)}`,
      created: new Date(Date.now() - 1000 * (100 - this.next)).toISOString(),
      path: cmd[0],
      args: cmd.slice(1),
      config: { image: opts.image, imageId: 'sha256:' + 'e'.repeat(64), cmd, entrypoint: [], env: opts.env ?? [], workdir: opts.workdir ?? '', user: opts.user ?? '', hostname: '', tty: !!opts.tty, openStdin: !!opts.openStdin, labels: opts.labels ?? {}, stopSignal: 'SIGTERM', stopTimeout: 10 },
      hostConfig: { limits: opts.limits ?? {}, privileged: false, capAdd: [], capDrop: [], readOnly: false, autoRemove: !!opts.autoRemove, log: {}, network: 'private' },
      state: { status: 'created', running: false, paused: false, pid: 0, shimPid: 0, exitCode: 0, oomKilled: false, error: '', startedAt: ZERO, finishedAt: ZERO },
      restartCount: 0,
      cgroupPaths: {},
      logPath: '',
      bootId: '',
    } satisfies ContainerRecord;
    this.containers.set(id, record);
    this.scripts.set(id, this.script(opts));
    return record;
  }

  async startContainer(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined> {
    const record = this.find(ref);
    this.calls.push(['start', record.id, attach ? 'attached' : 'detached']);
    const script = this.scripts.get(record.id) ?? {};
    if (script.failStart) throw script.failStart;
    record.state = { ...record.state, status: 'running', running: true, startedAt: new Date().toISOString() };
    if (!attach) return undefined;
    return this.handle(record, script, attach);
  }

  async attachContainer(ref: string, attach: AttachStreams): Promise<AttachHandle> {
    const record = this.find(ref);
    this.calls.push(['attach', record.id]);
    return this.handle(record, this.scripts.get(record.id) ?? {}, attach);
  }

  private handle(record: ContainerRecord, script: Script, attach: AttachStreams): AttachHandle {
    let detach!: () => void;
    const detached = new Promise<void>((resolve) => (detach = resolve));
    const exited = (async () => {
      const entries: LogEntry[] = [];
      for (const line of script.stdout ?? []) {
        attach.stdout.write(line);
        entries.push({ stream: 'stdout', time: new Date().toISOString(), line });
      }
      for (const line of script.stderr ?? []) {
        attach.stderr.write(line);
        entries.push({ stream: 'stderr', time: new Date().toISOString(), line });
      }
      if (script.echoStdin && attach.stdin) {
        for await (const chunk of attach.stdin) attach.stdout.write(chunk);
      }
      this.logs.set(record.id, entries);
      const code = script.exitCode ?? 0;
      record.state = { ...record.state, status: 'exited', running: false, exitCode: code, finishedAt: new Date().toISOString() };
      return code;
    })();
    return { resize: (rows, cols) => this.calls.push(['resize', rows, cols]), closeStdin: () => undefined, detach: () => detach(), exited: Promise.race([exited, detached.then(() => -1)]) };
  }

  async runContainer(): Promise<never> {
    throw new Error('the CLI creates and starts separately');
  }
  async stopContainer(ref: string, timeout?: number) {
    this.calls.push(['stop', this.find(ref).id, timeout]);
  }
  async killContainer(ref: string, signal?: string) {
    this.calls.push(['kill', this.find(ref).id, signal]);
  }
  async restartContainer(ref: string) {
    this.calls.push(['restart', this.find(ref).id]);
  }
  async pauseContainer(ref: string) {
    this.find(ref).state.status = 'paused';
  }
  async unpauseContainer(ref: string) {
    this.find(ref).state.status = 'running';
  }
  async waitContainer(ref: string) {
    return this.find(ref).state.exitCode;
  }
  async removeContainer(ref: string, force?: boolean) {
    const record = this.find(ref);
    this.calls.push(['rm', record.id, !!force]);
    this.containers.delete(record.id);
  }
  async renameContainer(ref: string, name: string) {
    this.find(ref).name = name;
  }
  async listContainers(all?: boolean): Promise<ContainerSummary[]> {
    return [...this.containers.values()]
      .filter((c) => all || c.state.running)
      .map((c) => ({ id: c.id, name: c.name, image: c.config.image, imageId: c.config.imageId, command: [c.path, ...c.args].join(' '), created: c.created, status: c.state.status, statusText: c.state.running ? 'Up 2 seconds' : `Exited (${c.state.exitCode}) 1 second ago`, exitCode: c.state.exitCode, pid: 0 }));
  }
  async inspectContainer(ref: string) {
    return this.find(ref);
  }
  async *readLogs(ref: string, opts: LogReadOptions = {}): AsyncIterable<LogEntry> {
    const entries = this.logs.get(this.find(ref).id) ?? [];
    yield* opts.tail === undefined ? entries : entries.slice(-opts.tail);
  }
  async top() {
    return [];
  }
  async stats(ref: string): Promise<StatsSample> {
    const c = this.find(ref);
    return { id: c.id, name: c.name, read: '', cpuPercent: 12.5, cpuTotalNs: 0, memoryUsage: 3 * 1024 * 1024, memoryLimit: 64 * 1024 * 1024, pids: 3, blockRead: 0, blockWrite: 0, netRx: 1500, netTx: 0 };
  }
  async exec(): Promise<never> {
    throw new EngineError('exec is not faked', 'internal');
  }
  async execSpecPath(): Promise<never> {
    throw new EngineError('exec is not faked', 'internal');
  }
  async importImage(): Promise<ImageRecord> {
    throw new EngineError('import is not faked', 'internal');
  }
  async listImages() {
    return this.images;
  }
  async inspectImage(ref: string): Promise<ImageRecord> {
    throw new EngineError(`No such image: ${ref}`, 'not-found');
  }
  async removeImage(ref: string) {
    return [`Untagged: ${ref}`];
  }
  async tagImage() {}
  async info(): Promise<never> {
    throw new EngineError('info is not faked', 'internal');
  }
  async check() {
    return [];
  }
}

class Collector extends Writable {
  text = '';
  isTTY = false;
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export interface TestIo {
  ctx: CliContext;
  stdin: PassThrough;
  stdout: Collector;
  stderr: Collector;
}

export function fakeContext(engine: FakeEngine): TestIo {
  const stdin = new PassThrough();
  const stdout = new Collector();
  const stderr = new Collector();
  const streams = { stdin, stdout, stderr } as unknown as CliStreams;
  const ctx = new CliContext({ root: '/fake', runtimeDir: '/fake-run' }, streams);
  ctx.engine = async () => engine as unknown as EngineApi;
  return { ctx, stdin, stdout, stderr };
}
