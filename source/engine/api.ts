// The engine's public surface: what the CLI and the TUI may call and the types they get back.
// Nothing here prints or exits; failures are thrown as EngineError with a docker-like code.

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead';

export interface ContainerLimits {
  memoryBytes?: number; // --memory
  nanoCpus?: number; // --cpus 0.5 → 500_000_000
  pidsLimit?: number; // --pids-limit
  cpuShares?: number; // --cpu-shares
  memorySwapBytes?: number; // --memory-swap: memory plus swap; -1 unlimited (docker's MemorySwap)
  memoryReservationBytes?: number; // --memory-reservation: the soft limit
  cpusetCpus?: string; // --cpuset-cpus 0-1,3
  cpuPeriod?: number; // --cpu-period, microseconds
  cpuQuota?: number; // --cpu-quota, microseconds per period
  cpusetMems?: string; // --cpuset-mems 0-1
  blkioWeight?: number; // --blkio-weight 10..1000 (0: unchanged); discarded with a warning where the host has no weight file
}

/** `update`: the limits and restart policy to change (absent: as they were), live and for the next start. */
export interface UpdateOptions {
  limits?: ContainerLimits;
  restartPolicy?: RestartPolicy;
}

/** docker's ContainerUpdateOKBody: what the update left out, and why. */
export interface UpdateResult {
  warnings: string[];
}

// --ulimit nofile=1024:2048 (docker's Ulimits entry: Name, Soft, Hard)
export interface Ulimit {
  name: string; // without RLIMIT_, lower case: nofile, nproc, core, …
  soft: number; // -1: unlimited
  hard: number;
}

// --device /dev/x[:/dev/y][:rwm] (docker's Devices entry)
export interface DeviceMapping {
  pathOnHost: string;
  pathInContainer: string;
  cgroupPermissions: string; // some of r, w, m
}

// --ipc/--pid/--uts: '' (its own namespace; ipc: 'private'/'shareable' are the same here), 'host', 'container:NAME'
export type NamespaceMode = string;

// The run/create options of docker's parity list, kept in HostConfig as docker names them.
export interface ExtraHostOptions {
  ulimits?: Ulimit[]; // Ulimits
  shmSizeBytes?: number; // ShmSize (docker's default 64m)
  devices?: DeviceMapping[]; // Devices
  groupAdd?: string[]; // GroupAdd: names (from the container's /etc/group) or gids
  ipcMode?: NamespaceMode; // IpcMode
  pidMode?: NamespaceMode; // PidMode
  utsMode?: NamespaceMode; // UTSMode
  sysctls?: Record<string, string>; // Sysctls: namespaced ones only
  oomScoreAdj?: number; // OomScoreAdj
  dnsSearch?: string[]; // DnsSearch
  dnsOptions?: string[]; // DnsOptions
  volumesFrom?: string[]; // VolumesFrom: CONTAINER[:ro|rw]
  containerIdFile?: string; // ContainerIDFile (the CLI writes it)
  cgroupParent?: string; // CgroupParent
  annotations?: Record<string, string>; // Annotations
}

export interface LogOptions {
  maxSizeBytes?: number; // --log-opt max-size=10m
  maxFiles?: number; // --log-opt max-file=3
}

export interface CreateOptions extends ExtraHostOptions {
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
  securityOpt?: string[]; // --security-opt, as docker keeps them (a seccomp profile as its JSON)
  readOnly?: boolean;
  cgroupns?: 'host' | 'private'; // --cgroupns; docker's default: private on a pure cgroup v2 host, host otherwise
  userns?: string; // --userns: 'auto' (a user namespace on a range of its own), 'host' (none); absent: the config file's `userns`, else 'host'
  init?: boolean; // --init: a tiny init (signal forwarding, zombie reaping) as PID 1
  autoRemove?: boolean; // --rm
  labels?: Record<string, string>;
  stopSignal?: string;
  stopTimeout?: number;
  log?: LogOptions;
  network?: string; // 'bridge' (default), 'none' (only lo), 'host', or a network's name/id
  // more networks after `network` (docker's --network a --network b): eth1, eth2… with their own
  // options; the first network's options are ipAddress, networkAliases and macAddress
  moreNetworks?: EndpointConfig[];
  ports?: PortMapping[]; // -p
  publishAll?: boolean; // -P: every EXPOSEd port on an ephemeral host port
  exposedPorts?: string[]; // --expose 80/tcp, added to the image's
  extraHosts?: string[]; // --add-host name:ip
  dns?: string[]; // --dns
  mounts?: MountRequest[]; // -v, --mount, --tmpfs
  domainname?: string; // --domainname (Config.Domainname)
  ipAddress?: string; // --ip, on a user-defined network
  networkAliases?: string[]; // --network-alias: more names its peers on a user network find it by
  macAddress?: string; // --mac-address
  restartPolicy?: RestartPolicy; // --restart
  healthcheck?: HealthConfig; // --health-*: replaces the image's fields it names; Test ['NONE'] (--no-healthcheck) disables
}

/** What `system boot` started, and what failed to start. */
export interface BootResult {
  started: string[]; // ids
  failed: Array<{ id: string; error: string }>;
}

/** docker's HostConfig.RestartPolicy: the container's monitor restarts it by this. */
export interface RestartPolicy {
  name: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  maximumRetryCount: number; // on-failure's N; 0: no limit
}

export interface PortMapping {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIp?: string; // '' or undefined: every host address
  hostPort?: number; // 0 or undefined: an ephemeral port
}

export interface PublishedPort {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIp: string; // '0.0.0.0' for every address
  hostPort: number;
}

export interface MountRequest {
  type: 'bind' | 'volume' | 'tmpfs';
  source?: string; // host path (bind), volume name (volume; absent = a new anonymous volume)
  target: string;
  readOnly?: boolean;
  idmap?: boolean; // a bind idmapped into a --userns=auto container's range (podman's -v …:idmap)
  tmpfsSizeBytes?: number;
  tmpfsMode?: number;
}

// A mount as resolved at create time (docker's Mounts entry).
export interface MountPoint {
  type: 'bind' | 'volume' | 'tmpfs';
  name?: string; // volume name
  source: string; // host path ('' for tmpfs)
  destination: string;
  rw: boolean;
  anonymous?: boolean;
  options?: string; // tmpfs options
  idmap?: boolean; // bind: idmapped in a user namespace of its own (files are the host's ids inside)
}

/** One network a container is on, as configured (docker's EndpointSettings before it runs). */
export interface EndpointConfig {
  network: string; // name
  aliases?: string[]; // more names its peers on this network find it by
  ipv4Address?: string; // the address asked for (--ip, `network connect --ip`, `--network name=…,ip=…`)
  macAddress?: string;
}

export interface NetworkAttachment {
  network: string; // name
  interfaceName?: string; // eth0, eth1… in the container (absent in records of before: eth0)
  networkId: string;
  bridge: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  sandboxKey: string; // the bound netns
  ports: PublishedPort[];
}

export interface NetworkRecord {
  id: string; // 64 hex
  name: string;
  driver: 'bridge' | 'host' | 'null';
  bridge: string; // interface name ('' for host/none)
  subnet: string; // CIDR ('' for host/none)
  gateway: string;
  created: string;
  labels: Record<string, string>;
  builtin: boolean; // bridge/host/none: cannot be removed
  subnetReason?: string; // why this subnet (network inspect shows it); absent on records from before
}

export interface NetworkCreateOptions {
  subnet?: string;
  gateway?: string;
  labels?: Record<string, string>;
}

export interface VolumeRecord {
  name: string;
  driver: 'local';
  mountpoint: string; // …/volumes/<name>/_data
  created: string;
  labels: Record<string, string>;
  anonymous: boolean;
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
  health?: HealthState; // with a health check, while running and after
}

/** docker's State.Health. */
export interface HealthState {
  status: 'starting' | 'healthy' | 'unhealthy';
  failingStreak: number;
  log: HealthResult[]; // the last 5, oldest first
}

export interface HealthResult {
  start: string; // RFC3339Nano
  end: string;
  exitCode: number; // 0 healthy, 1 unhealthy, -1 the check could not run or timed out
  output: string; // at most 4 KiB
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
  domainname?: string; // absent in records made before --domainname
  tty: boolean;
  openStdin: boolean;
  labels: Record<string, string>;
  stopSignal: string;
  stopTimeout: number; // seconds
}

export interface HostConfig extends ExtraHostOptions {
  limits: ContainerLimits;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt?: string[]; // absent in records made before it existed
  readOnly: boolean;
  autoRemove: boolean;
  log: LogOptions;
  network: string; // 'bridge', 'none', 'host' or a network name: the first network (docker's NetworkMode)
  networkAliases?: string[]; // records of before `networks`: the aliases on `network`
  // every bridged network it is on, in order (eth0, eth1…; the first gives the default route and
  // the published ports); absent in records of before: `network` with networkAliases, ipv4Address, macAddress
  networks?: EndpointConfig[];
  init?: boolean; // --init: strata-init runs as PID 1 in front of the command
  cgroupns?: 'host' | 'private'; // absent in records made before --cgroupns: they ran private
  usernsMode?: UsernsMode; // absent: 'host' (records made before --userns)
  restartPolicy?: RestartPolicy; // absent: 'no'
}

/** --userns: 'auto' runs the container in a user namespace of its own; 'host' in the host's. */
export type UsernsMode = 'auto' | 'host';

/** A container's ids on the host: container ids 0..size-1 are host uidStart.. and gidStart.. (from /etc/subuid, /etc/subgid). */
export interface IdMapping {
  uidStart: number;
  gidStart: number;
  size: number;
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
  restartCount: number; // restarts by the restart policy since the last start by the user
  manuallyStopped?: boolean; // stopped or killed by the user: no restart policy applies, not even at boot (unless-stopped)
  healthcheck?: HealthConfig; // the check the monitor runs (the image's merged with --health-*); absent: none
  cgroupPaths: Record<string, string>; // controller (or 'unified') → absolute dir
  logPath: string;
  bootId: string; // the kernel boot the state belongs to
  // networking and storage (absent in records made before they existed)
  ports?: PortMapping[];
  publishAll?: boolean;
  exposedPorts?: string[]; // "80/tcp"
  extraHosts?: string[];
  dns?: string[];
  mounts?: MountPoint[];
  networkSettings?: NetworkAttachment; // while running on a bridge network: the first one (default route, published ports)
  extraNetworks?: NetworkAttachment[]; // while running: its other networks (eth1…)
  ipv4Address?: string; // records of before `hostConfig.networks`: --ip on `network` (docker's IPAMConfig.IPv4Address)
  macAddress?: string; // records of before `hostConfig.networks`: --mac-address (docker's Config.MacAddress)
  idMapping?: IdMapping; // --userns=auto: the range it was given at create, until it is removed
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string; // "sh -c 'while…'" as docker ps shows it
  created: string;
  status: ContainerStatus;
  statusText: string; // "Up 3 minutes", "Exited (3) 2 seconds ago", "Up 1 minute (Paused)", "Created" (as of the listing)
  exitCode: number;
  pid: number;
  startedAt: string; // as in ContainerState: a front end words the time since itself (format/status.ts)
  finishedAt: string;
  ports?: PublishedPort[]; // while running on a bridge network
  labels?: Record<string, string>;
  monitorGone?: true; // running, but its monitor (strata-shim) died: nobody reaps or logs it (State.Error says so)
  networks?: string[]; // the networks it is on, in the order it joined them (ps's {{.Networks}} sorts them)
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
  Healthcheck?: HealthConfig; // as docker stores HEALTHCHECK
  OnBuild?: string[]; // ONBUILD triggers, as written
  Shell?: string[]; // SHELL
}

export interface HealthConfig {
  Test: string[]; // ["NONE"], ["CMD", …], ["CMD-SHELL", "…"]
  Interval?: number; // nanoseconds
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface CommitOptions {
  message?: string; // -m
  author?: string; // -a
  changes?: string[]; // -c 'ENV X=1'
  pause?: boolean; // default true, like docker
}

// One line of `strata diff`: Added, Changed or Deleted, path from the container's root.
export interface ContainerChange {
  kind: 'A' | 'C' | 'D';
  path: string;
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
  comment?: string; // from the config's last history entry (inspect only)
  author?: string; // the config's author (inspect only)
}

export interface PullOptions {
  platform?: string; // os/arch[/variant], default linux/<host arch>
}

export interface PullResult {
  id: string; // image id
  reference: string; // as docker prints it last: 127.0.0.1:5000/team/app:1.2
  digest: string; // the manifest (or index) digest the reference resolved to
  status: 'downloaded' | 'up-to-date';
}

export interface PushOptions {
  chunkSize?: number; // upload blobs bigger than this in PATCH chunks of this size
}

export interface PushResult {
  repository: string;
  tag: string;
  digest: string;
  size: number; // manifest bytes
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
  // Called once every line on disk when reading began has been yielded, before following what
  // comes after: a reader of several logs merges their histories by time up to here.
  caughtUp?: () => void;
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

export interface SearchResult {
  name: string;
  description: string;
  stars: number;
  official: boolean;
  automated: boolean;
}

// `container prune --filter`: created before `until`; with every `label` (k or k=v); with no `labelNot`
export interface ContainerPruneFilters {
  until?: Date;
  label?: string[];
  labelNot?: string[];
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
  logDefaults: LogOptions; // the config file's "log-opts" for containers without their own (empty: unbounded)
  userns: UsernsSupport;
  rootless: RootlessInfo;
}

/** Rootless strata (an unprivileged user's, in its own user namespace): what it uses here. */
export interface RootlessInfo {
  rootless: boolean;
  uid?: number; // the user's ids on the host
  gid?: number;
  uidMap?: string[]; // the namespace's maps, "INSIDE:OUTSIDE:COUNT"
  gidMap?: string[];
  storage?: string;
  cgroups?: string; // delegated controllers, or none and what is refused for it
  networks?: string; // the network modes a container can have
}

export interface UsernsSupport {
  available: boolean; // --userns=auto can run here
  idmappedMounts: boolean; // overlayfs on idmapped layers (how image layers are shared without a chown)
  defaultMode: UsernsMode; // the config file's `userns`, else 'host'
  detail: string; // why, in words
}

export interface CheckProblem {
  kind: string; // 'blob-digest', 'layer-missing', 'record-unreadable', 'temp-file', ...
  path: string;
  detail: string;
}

export type EngineEvent =
  // image and labels: the container's, for the journal's attributes (events --filter image=/label=)
  | { type: 'container'; action: 'create' | 'start' | 'die' | 'stop' | 'kill' | 'pause' | 'unpause' | 'destroy' | 'rename' | 'restart' | 'oom' | 'health_status' | 'update'; id: string; name: string; exitCode?: number; signal?: string; image?: string; labels?: Record<string, string>; health?: 'healthy' | 'unhealthy' }
  | { type: 'image'; action: 'import' | 'tag' | 'untag' | 'delete' | 'pull' | 'push' | 'commit' | 'build'; id: string; ref?: string }
  | { type: 'network'; action: 'create' | 'destroy' | 'connect' | 'disconnect'; id: string; name: string; driver: string; container?: string }
  | { type: 'volume'; action: 'create' | 'destroy'; name: string; driver: string }
  | { type: 'progress'; id: string; action: string; current: number; total: number; detail?: string }
  // A build's progress, journaled (docker's "builder" type) so a TUI can follow a build another
  // process runs: its start, each step's start and end, and how it ended. `id`: the build's.
  | { type: 'build'; action: 'start'; id: string; pid: number; context: string; tags: string[] }
  | { type: 'build'; action: 'step'; id: string; pid: number; step: number; total: number; text: string }
  | { type: 'build'; action: 'step-done'; id: string; pid: number; step: number; cached: boolean; ms: number }
  | { type: 'build'; action: 'end'; id: string; pid: number; ms: number; imageId?: string; tags?: string[]; error?: string }
  // Another strata process (or a shim) changed the store: re-read what is shown.
  | { type: 'store-changed'; what: StoreTopic };

/** What a store-changed event says to re-read. */
export type StoreTopic = 'containers' | 'images' | 'volumes' | 'networks';

// One line of the events journal, in docker's shape (`docker events --format '{{json .}}'`):
// status, id and from are docker's deprecated fields, filled for containers (and images).
export interface EventMessage {
  status?: string;
  id?: string;
  from?: string;
  Type: 'container' | 'image' | 'network' | 'volume' | 'builder';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number; // seconds since the epoch
  timeNano: number; // nanoseconds since the epoch
}

export interface EventsOptions {
  since?: Date; // replay the journal from here; without it only events from now on
  until?: Date; // stop here; without it follow the journal until the signal aborts
  signal?: AbortSignal;
}

export type { BuildCachePruned, BuildEvent, BuildOptions, BuildOutput, BuildResult, CacheLocation } from './build/types.js';
// docker's default masked and read-only paths, which inspect prints as HostConfig.MaskedPaths/ReadonlyPaths
export { MASKED_PATHS, READONLY_PATHS } from './runtime/security.js';
export { EXIT_ENGINE, EXIT_CANNOT_INVOKE, EXIT_NOT_FOUND, EngineError, type EngineErrorCode } from './errors.js';

export type { FileChange, DeviceNumbers, FileKind, FileNode, ImageComparison, LayerAnalysis, LayerFileContent, LayerInfo, TreeTarget, TreeView, WastedCopy, WastedFile } from './layers/trees/types.js';
import type { FileNode, ImageComparison, LayerAnalysis, LayerFileContent, TreeTarget, TreeView } from './layers/trees/types.js';

export interface EngineOptions {
  root: string; // default /var/lib/strata
  runtimeDir: string; // default /run/strata
  // registry settings; by default strata's auth.json beside its config file, $DOCKER_CONFIG or
  // ~/.docker/config.json, the config file's "insecureRegistries" and its "registry" timeouts
  registry?: { authFile?: string; dockerConfigFile?: string; insecure?: string[]; timeouts?: { connectMs: number; idleMs: number } };
  // the restart policy's back-off, first and longest (default docker's 100 ms doubling to 1 min)
  restartBackoff?: RestartBackoff;
}

export interface RestartBackoff {
  firstMs: number;
  maxMs: number;
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
  // The store's events journal: events of every strata process, docker's message shape
  events(opts: EventsOptions): AsyncIterable<EventMessage>;

  // images
  importImage(tar: NodeJS.ReadableStream, ref: string | undefined, opts?: ImportOptions): Promise<ImageRecord>;
  listImages(all?: boolean): Promise<ImageSummary[]>; // all: build steps' untagged images too (images -a)
  inspectImage(ref: string): Promise<ImageRecord>;
  removeImage(ref: string, force?: boolean): Promise<string[]>; // lines like "Untagged: x" / "Deleted: sha256:…"
  tagImage(source: string, target: string): Promise<void>;
  // registries: pull/push report per-blob progress as {type:'progress'} events (id = short digest)
  pullImage(ref: string, opts?: PullOptions): Promise<PullResult>;
  pushImage(ref: string, opts?: PushOptions): Promise<PushResult>;
  login(server: string, username: string, password: string): Promise<void>; // checked against the registry, then saved
  logout(server: string): Promise<'removed' | 'not-logged-in'>;
  // Docker Hub's search for a plain term; `host[:port]/term` searches that registry's catalog
  searchImages(term: string, limit?: number): Promise<SearchResult[]>;

  // containers
  createContainer(opts: CreateOptions): Promise<ContainerRecord>;
  startContainer(ref: string, attach?: AttachStreams): Promise<AttachHandle | undefined>; // attach wired before the process runs
  attachContainer(ref: string, streams: AttachStreams): Promise<AttachHandle>;
  runContainer(opts: CreateOptions, attach?: AttachStreams): Promise<{ record: ContainerRecord; handle?: AttachHandle }>;
  stopContainer(ref: string, timeoutSeconds?: number, signal?: string): Promise<void>; // signal: instead of the container's stop signal (stop -s)
  killContainer(ref: string, signal?: string): Promise<void>;
  restartContainer(ref: string, timeoutSeconds?: number, signal?: string): Promise<void>;
  updateContainer(ref: string, opts: UpdateOptions): Promise<UpdateResult>; // `update`: running (live cgroups, the monitor's policy) or not
  bootContainers(): Promise<BootResult>; // `system boot`: after a reboot, the containers whose restart policy says so
  pauseContainer(ref: string): Promise<void>;
  unpauseContainer(ref: string): Promise<void>;
  waitContainer(ref: string, signal?: AbortSignal): Promise<number>;
  removeContainer(ref: string, force?: boolean, removeVolumes?: boolean): Promise<void>; // removeVolumes: its anonymous volumes too (rm -v)
  renameContainer(ref: string, newName: string): Promise<void>;
  listContainers(all?: boolean): Promise<ContainerSummary[]>;
  inspectContainer(ref: string): Promise<ContainerRecord>;
  readLogs(ref: string, opts?: LogReadOptions): AsyncIterable<LogEntry>;
  top(ref: string): Promise<ProcessRow[]>;
  // `top CONTAINER ps-options`: the host's ps with those options, only the container's rows
  topWithPs(ref: string, psArgs: string[]): Promise<{ titles: string[]; processes: string[][] }>;
  pruneContainers(filters?: ContainerPruneFilters): Promise<{ deleted: string[]; spaceReclaimed: number }>;
  stats(ref: string): Promise<StatsSample>; // cpuPercent from a 100 ms… sample when no previous sample is known
  exec(ref: string, opts: ExecOptions, stdio: 'inherit' | 'pipe'): Promise<{ handle: ExecHandle; child: import('node:child_process').ChildProcess }>;
  execSpecPath(ref: string, opts: ExecOptions): Promise<{ shim: string; args: string[] }>; // for node-pty

  containerPorts(ref: string): Promise<PublishedPort[]>;

  // networks and volumes
  createNetwork(name: string, opts?: NetworkCreateOptions): Promise<NetworkRecord>;
  listNetworks(): Promise<NetworkRecord[]>;
  inspectNetwork(ref: string): Promise<{ network: NetworkRecord; containers: Array<{ id: string; name: string; ipAddress: string; macAddress: string }> }>;
  removeNetwork(ref: string): Promise<void>;
  pruneNetworks(): Promise<string[]>;
  // connect adds a network (the next ethN; a container on `none` gets eth0 and leaves `none`),
  // disconnect takes one away (the last one puts it on `none`); a running container gets or loses
  // the interface at once, and every start after keeps them
  connectNetwork(network: string, container: string, opts?: { aliases?: string[]; ipv4Address?: string }): Promise<void>;
  disconnectNetwork(network: string, container: string): Promise<void>;
  // bridges and nft tables of networks no container uses (kept between containers, like docker0)
  releaseIdleNetworks(): Promise<string[]>;
  createVolume(name?: string, labels?: Record<string, string>): Promise<VolumeRecord>;
  listVolumes(): Promise<VolumeRecord[]>;
  inspectVolume(name: string): Promise<VolumeRecord>;
  removeVolume(name: string, force?: boolean): Promise<void>;
  pruneVolumes(): Promise<{ removed: string[]; reclaimedBytes: number }>;

  // system
  info(): Promise<EngineInfo>;
  check(): Promise<CheckProblem[]>;

  // layer trees (the layer explorer): per-layer changes, merged trees, wasted space, contents
  analyseLayers(target: TreeTarget): Promise<LayerAnalysis>;
  layerTree(target: TreeTarget, layer: number, view: TreeView): Promise<FileNode>; // layer 0 = bottom, -1 = top
  compareImages(base: string, other: string): Promise<ImageComparison>; // what other adds/changes/removes
  readLayerFile(target: TreeTarget, layer: number, path: string, maxBytes?: number): Promise<LayerFileContent>;
  // where it was written; an existing file is replaced only with overwrite (a 'conflict' otherwise)
  saveLayerFile(target: TreeTarget, layer: number, path: string, hostPath: string, opts?: { overwrite?: boolean }): Promise<string>;

  // commit / diff / build
  commitContainer(ref: string, target: string | undefined, opts?: CommitOptions): Promise<ImageRecord>;
  diffContainer(ref: string): Promise<ContainerChange[]>;
  build(opts: import('./build/types.js').BuildOptions): Promise<import('./build/types.js').BuildResult>;
  pruneBuildCache(): Promise<import('./build/types.js').BuildCachePruned>;

  // archives, copies and image housekeeping (save/load, cp/export, history, prune, df)
  saveImages(refs: string[], out: NodeJS.WritableStream, format?: ArchiveFormat): Promise<void>;
  loadImages(input: NodeJS.ReadableStream): Promise<LoadResult>;
  imageHistory(ref: string): Promise<ImageHistoryEntry[]>;
  pruneImages(all?: boolean): Promise<ImagePruneReport>;
  diskUsage(): Promise<DiskUsage>;
  exportContainer(ref: string, out: NodeJS.WritableStream): Promise<void>;
  copyFromContainer(ref: string, src: string, to: CopyTarget, opts?: CopyOptions): Promise<number>; // bytes of tar copied
  copyToContainer(ref: string, dest: string, from: CopySource, opts?: CopyOptions): Promise<number>;
}

// ---- archives, copies and image housekeeping ----------------------------------------------

export type ArchiveFormat = 'docker' | 'oci'; // `docker save` archive, or an OCI image layout in a tar
export type CopyTarget = { path: string } | { stream: NodeJS.WritableStream }; // host path, or a tar stream
export type CopySource = { path: string } | { stream: NodeJS.ReadableStream };

export interface CopyOptions {
  followLink?: boolean; // -L: follow a symlink in the source path
  archive?: boolean; // -a: keep the archive's uid/gid (into a container; root otherwise)
}

export interface LoadResult {
  images: Array<{ id: string; tags: string[] }>; // familiar tags, as `Loaded image:` prints them
  untagged: string[]; // "The image x already exists, renaming the old one …" lines
}

export interface ImageHistoryEntry {
  id: string; // the image id for the top row, '<missing>' below (docker's way for non-local parents)
  created: string; // RFC3339, '' when unknown
  createdBy: string;
  size: number; // bytes the layer adds; 0 for empty layers
  comment: string;
  emptyLayer: boolean;
  tags: string[];
}

export interface ImagePruneReport {
  untagged: string[];
  deleted: string[]; // image ids, then layer chain ids
  spaceReclaimed: number;
}

export interface DiskUsage {
  layersSize: number; // every layer once, however many images share it
  imagesReclaimable: number; // layers no image used by a container needs
  images: Array<{ id: string; repoTags: string[]; created: string; size: number; sharedSize: number; uniqueSize: number; containers: number }>;
  containers: Array<{ id: string; name: string; image: string; command: string; created: string; status: string; running: boolean; sizeRw: number; localVolumes: number }>;
  volumes: Array<{ name: string; links: number; size: number }>;
  buildCache: Array<{ id: string; size: number; inUse: boolean; shared: boolean; lastUsed: string; description: string }>;
}
