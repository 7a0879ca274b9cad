// The engine's public surface: what the CLI and the TUI may call and the types they get back.
// Nothing here prints or exits; failures are thrown as EngineError with a docker-like code.

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead';

export interface ContainerLimits {
  memoryBytes?: number; // --memory
  nanoCpus?: number; // --cpus 0.5 → 500_000_000
  pidsLimit?: number; // --pids-limit
  cpuShares?: number; // --cpu-shares
}

export interface LogOptions {
  maxSizeBytes?: number; // --log-opt max-size=10m
  maxFiles?: number; // --log-opt max-file=3
}

export interface CreateOptions {
  image: string; // reference or id
  name?: string;
  cmd?: string[]; // overrides the image's Cmd
  entrypoint?: string[]; // --entrypoint (an empty array clears the image's)
  env?: string[]; // KEY=VALUE, added to the image's
  workdir?: string;
  user?: string; // name, uid, uid:gid, name:group
  hostname?: string;
  tty?: boolean;
  openStdin?: boolean; // -i
  limits?: ContainerLimits;
  privileged?: boolean;
  capAdd?: string[]; // CAP_X or X, or ALL
  capDrop?: string[];
  readOnly?: boolean;
  init?: boolean; // --init: a tiny init (signal forwarding, zombie reaping) as PID 1
  autoRemove?: boolean; // --rm
  labels?: Record<string, string>;
  stopSignal?: string;
  stopTimeout?: number;
  log?: LogOptions;
  network?: 'none' | 'host' | 'private'; // until networking lands: private = own netns with lo
}

export interface ContainerState {
  status: ContainerStatus;
  running: boolean;
  paused: boolean;
  pid: number; // host pid of the init, 0 when not running
  shimPid: number;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt: string; // RFC3339Nano, '0001-01-01T00:00:00Z' when never
  finishedAt: string;
}

export interface ContainerConfig {
  image: string; // the reference the user gave
  imageId: string; // sha256:… config digest
  cmd: string[];
  entrypoint: string[];
  env: string[];
  workdir: string;
  user: string;
  hostname: string;
  tty: boolean;
  openStdin: boolean;
  labels: Record<string, string>;
  stopSignal: string;
  stopTimeout: number; // seconds
}

export interface HostConfig {
  limits: ContainerLimits;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  readOnly: boolean;
  autoRemove: boolean;
  log: LogOptions;
  network: 'none' | 'host' | 'private';
  init?: boolean; // --init: strata-init runs as PID 1 in front of the command
}

export interface ContainerRecord {
  id: string; // 64 hex
  name: string; // without leading slash
  created: string; // RFC3339Nano
  path: string; // argv[0] as run
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  state: ContainerState;
  restartCount: number;
  cgroupPaths: Record<string, string>; // controller (or 'unified') → absolute dir
  logPath: string;
  bootId: string; // the kernel boot the state belongs to
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string; // "sh -c 'while…'" as docker ps shows it
  created: string;
  status: ContainerStatus;
  statusText: string; // "Up 3 minutes", "Exited (3) 2 seconds ago", "Up 1 minute (Paused)", "Created"
  exitCode: number;
  pid: number;
}

export interface ImageSummary {
  id: string; // sha256:… of the config
  repoTags: string[]; // ["demo/busybox:latest"]
  repoDigests: string[];
  created: string;
  size: number; // bytes of extracted layers
  layers: number;
}

export interface ImageConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
}

export interface ImageRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  manifestDigest: string;
  created: string;
  architecture: string;
  os: string;
  config: ImageConfig;
  diffIds: string[];
  chainIds: string[];
  size: number;
}

export interface ImportOptions {
  changes?: string[]; // -c 'CMD ["sh"]', 'ENV A=1'
  message?: string;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  time: string; // RFC3339Nano
  line: string; // as written, including its trailing newline when it had one
}

export interface LogReadOptions {
  follow?: boolean;
  tail?: number; // last N entries; undefined = all
  since?: Date;
  until?: Date;
  signal?: AbortSignal; // aborts a follow
}

export interface StatsSample {
  id: string;
  name: string;
  read: string;
  cpuPercent: number; // of one core = 100
  cpuTotalNs: number;
  memoryUsage: number;
  memoryLimit: number; // host memory when unlimited
  pids: number;
  blockRead: number;
  blockWrite: number;
  netRx: number;
  netTx: number;
}

export interface ProcessRow {
  uid: string;
  pid: number; // host pid
  ppid: number;
  c: number;
  stime: string;
  tty: string;
  time: string;
  cmd: string;
}

export interface ExecOptions {
  cmd: string[];
  env?: string[];
  workdir?: string;
  user?: string;
  tty?: boolean;
  interactive?: boolean;
  privileged?: boolean;
}

export interface EngineInfo {
  root: string;
  runtimeDir: string;
  containers: number;
  running: number;
  paused: number;
  stopped: number;
  images: number;
  cgroupLayout: Record<string, 'v1' | 'v2' | 'missing'>;
  kernel: string;
  os: string;
  cpus: number;
  memTotal: number;
  version: string;
}

export interface CheckProblem {
  kind: string; // 'blob-digest', 'layer-missing', 'record-unreadable', 'temp-file', ...
  path: string;
  detail: string;
}

export type EngineEvent =
  | { type: 'container'; action: 'create' | 'start' | 'die' | 'stop' | 'kill' | 'pause' | 'unpause' | 'destroy' | 'rename' | 'restart' | 'oom'; id: string; name: string; exitCode?: number }
  | { type: 'image'; action: 'import' | 'tag' | 'untag' | 'delete' | 'pull' | 'push'; id: string; ref?: string }
  | { type: 'progress'; id: string; action: string; current: number; total: number; detail?: string }
  // Another strata process (or a shim) changed the store: re-read what is shown.
  | { type: 'store-changed'; what: 'containers' | 'images' };

// Docker's exit codes for failures of strata itself or of the command.
export const EXIT_ENGINE = 125;
export const EXIT_CANNOT_INVOKE = 126;
export const EXIT_NOT_FOUND = 127;

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'conflict' | 'invalid' | 'cannot-invoke' | 'command-not-found' | 'internal' = 'internal',
  ) {
    super(message);
    this.name = 'EngineError';
  }

  get exitCode(): number {
    if (this.code === 'cannot-invoke') return EXIT_CANNOT_INVOKE;
    if (this.code === 'command-not-found') return EXIT_NOT_FOUND;
    return EXIT_ENGINE;
  }
}

export interface EngineOptions {
  root: string; // default /var/lib/strata
  runtimeDir: string; // default /run/strata
}

export interface AttachStreams {
  stdin?: NodeJS.ReadableStream; // forwarded when the container was created with openStdin
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  resize?: { rows: number; cols: number }; // initial size for a tty
}

export interface AttachHandle {
  resize(rows: number, cols: number): void;
  closeStdin(): void;
  detach(): void;
  exited: Promise<number>; // the container's exit code
}

export interface ExecHandle {
  pid: number; // host pid of the exec helper
  exited: Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

// Implemented by engine/engine.ts (class Engine). Every method that takes a container or
// image accepts a name, a full id or a unique id prefix.
export interface EngineApi {
  readonly options: EngineOptions;
  // Events of this process, plus `store-changed` from a file watch on the store (no polling)
  // once a listener is registered with watchStore true.
  on(listener: (event: EngineEvent) => void, options?: { watchStore?: boolean }): () => void;
  close(): Promise<void>;

  // images
  importImage(tar: NodeJS.ReadableStream, ref: string | undefined, opts?: ImportOptions): Promise<ImageRecord>;
  listImages(): Promise<ImageSummary[]>;
  inspectImage(ref: string): Promise<ImageRecord>;
  removeImage(ref: string, force?: boolean): Promise<string[]>; // lines like "Untagged: x" / "Deleted: sha256:…"
  tagImage(source: string, target: string): Promise<void>;

  // containers
  createContainer(opts: CreateOptions): Promise<ContainerRecord>;
  startContainer(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined>; // attach wired before the process runs
  attachContainer(ref: string, streams: AttachStreams): Promise<AttachHandle>;
  runContainer(opts: CreateOptions, attach?: AttachStreams): Promise<{ record: ContainerRecord; handle?: AttachHandle }>;
  stopContainer(ref: string, timeoutSeconds?: number): Promise<void>;
  killContainer(ref: string, signal?: string): Promise<void>;
  restartContainer(ref: string, timeoutSeconds?: number): Promise<void>;
  pauseContainer(ref: string): Promise<void>;
  unpauseContainer(ref: string): Promise<void>;
  waitContainer(ref: string, signal?: AbortSignal): Promise<number>;
  removeContainer(ref: string, force?: boolean): Promise<void>;
  renameContainer(ref: string, newName: string): Promise<void>;
  listContainers(all?: boolean): Promise<ContainerSummary[]>;
  inspectContainer(ref: string): Promise<ContainerRecord>;
  readLogs(ref: string, opts?: LogReadOptions): AsyncIterable<LogEntry>;
  top(ref: string): Promise<ProcessRow[]>;
  stats(ref: string): Promise<StatsSample>; // cpuPercent from a 100 ms… sample when no previous sample is known
  exec(ref: string, opts: ExecOptions, stdio: 'inherit' | 'pipe'): Promise<{ handle: ExecHandle; child: import('node:child_process').ChildProcess }>;
  execSpecPath(ref: string, opts: ExecOptions): Promise<{ shim: string; args: string[] }>; // for node-pty

  // system
  info(): Promise<EngineInfo>;
  check(): Promise<CheckProblem[]>;
}
