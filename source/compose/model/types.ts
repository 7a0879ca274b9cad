// The resolved compose project: what `compose config` prints and what the reconcile creates.
// Every field is in its long form, paths absolute, variables substituted, profiles applied.
import type { ContainerLimits, HealthConfig, RestartPolicy } from '../../engine/api.js';
import type { LongPort, LongVolume } from './canonical.js';

export type { LongPort, LongVolume };

export interface ServiceBuild {
  context: string;
  dockerfile?: string;
  args: Record<string, string>;
  target?: string;
  labels: Record<string, string>;
  noCache?: boolean;
}

export interface ServiceNetwork {
  aliases: string[];
  ipv4Address?: string;
  priority?: number; // which network the container joins first (its default route): highest first
}

export interface ServiceDependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart: boolean;
}

export interface FileMount {
  source: string; // the top-level secret/config name
  target: string; // path in the container
  file?: string; // host file, bound read-only
  content?: string; // `environment: VAR` or (configs) `content:`: written into the container before its start
  variable?: string; // `environment: VAR`: its name (content absent while it is unset)
  mode?: number; // of a written file: 0444 unless given
}

export interface ComposeService {
  name: string;
  image?: string; // absent: the image built for the service, <project>-<service>
  build?: ServiceBuild;
  pullPolicy: 'always' | 'missing' | 'never' | 'build';
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  ports: LongPort[];
  expose: string[];
  volumes: LongVolume[];
  tmpfs: string[];
  networks: Record<string, ServiceNetwork>; // by the project's network key
  networkMode?: string; // network_mode: none | host | service:x | container:x
  dependsOn: Record<string, ServiceDependency>;
  healthcheck?: HealthConfig;
  restart?: RestartPolicy;
  limits: ContainerLimits;
  user?: string;
  workingDir?: string;
  labels: Record<string, string>;
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  init: boolean;
  readOnly: boolean;
  securityOpt: string[];
  stopSignal?: string;
  stopGracePeriodSeconds?: number;
  extraHosts: string[];
  dns: string[];
  hostname?: string;
  domainname?: string;
  tty: boolean;
  stdinOpen: boolean;
  containerName?: string;
  scale: number;
  profiles: string[];
  secrets: FileMount[];
  configs: FileMount[];
}

export interface ProjectNetwork {
  name: string; // the engine's network name: <project>_<key>, or `name:`
  external: boolean;
  labels: Record<string, string>;
  subnet?: string;
  gateway?: string;
}

export interface ProjectVolume {
  name: string; // <project>_<key>, or `name:`
  external: boolean;
  labels: Record<string, string>;
}

export interface ComposeProject {
  name: string;
  workingDir: string;
  files: string[];
  services: ComposeService[]; // enabled by the active profiles, in file order
  disabled: string[]; // services left out by profiles
  networks: Record<string, ProjectNetwork>;
  volumes: Record<string, ProjectVolume>;
  /** The merged file after interpolation, in canonical form: what `config` prints. */
  model: Record<string, unknown>;
}
