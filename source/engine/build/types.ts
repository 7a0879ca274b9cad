// What `build` takes, reports and returns. The engine emits BuildEvents; the CLI decides how
// they look (docker's plain "Step 1/10 : …" lines or a live view on a terminal).

export interface BuildOptions {
  context: string; // directory
  dockerfile?: string; // path; default <context>/Dockerfile
  dockerfileText?: string; // the Dockerfile itself (`-f -`)
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string; // stage name or index
  noCache?: boolean;
  network?: string; // RUN steps' network: 'bridge' (default, as docker), 'none', 'host' or a network's name
  labels?: Record<string, string>; // --label: set on the built image
  pull?: boolean; // --pull: pull every FROM image, even one the store has
  platform?: string; // --platform: only the host's (linux/amd64 on x86-64); another is refused
  extraHosts?: string[]; // --add-host name:ip, in RUN steps' /etc/hosts
  secrets?: Record<string, string>; // --secret id=…,src=…: id → host file, for RUN --mount=type=secret
  ssh?: Record<string, string>; // --ssh id=SOCKET: id → an SSH agent's socket, for RUN --mount=type=ssh
  buildContexts?: Record<string, string>; // --build-context name=DIR|docker-image://ref
  output?: BuildOutput; // --output: the final stage's files exported; no image kept unless tagged
  cacheFrom?: CacheLocation[]; // --cache-from: step results imported before the build
  cacheTo?: CacheLocation; // --cache-to: this build's step results exported after it
  onEvent?: (event: BuildEvent) => void;
}

/** A build cache's place: a directory (type=local) or an image in a registry (type=registry). */
export type CacheLocation = { type: 'local'; dir: string } | { type: 'registry'; ref: string };

export type BuildOutput =
  | { type: 'local'; dest: string }
  | { type: 'tar'; dest: string | NodeJS.WritableStream };

export type BuildEvent =
  | { type: 'step'; step: number; total: number; stage: string; line: number; text: string }
  | { type: 'cached'; step: number; imageId: string }
  | { type: 'running'; step: number; containerId: string }
  | { type: 'output'; step: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'step-done'; step: number; imageId: string; cached: boolean; ms: number; layer: boolean }
  | { type: 'warning'; message: string }
  | { type: 'done'; imageId: string; tags: string[]; ms: number };

export interface BuildResult {
  imageId: string;
  tags: string[];
  steps: number;
  cached: number; // steps reused from the cache
}

export interface BuildCachePruned {
  entries: number;
  images: string[]; // intermediate image ids deleted
  cacheMounts: number; // RUN --mount=type=cache directories deleted
  reclaimedBytes: number;
}
