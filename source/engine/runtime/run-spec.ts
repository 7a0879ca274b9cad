// Builds the spec `strata-shim run` reads: what to execute, as whom, in which namespaces,
// with which privileges and mounts. The policy lives here; the shim only applies it.
import type { ContainerRecord } from '../api.js';
import { initPath } from '../../native.js';
import { effectiveCapabilities, MASKED_PATHS, READONLY_PATHS } from './security.js';
import { DOCKER_DEFAULT_PROFILE } from './docker-seccomp-profile.js';
import { parseSecurityOptions } from './security-options.js';
import { resolveProfile, shimRuleEntry, shimRules } from './seccomp-json.js';
import { joinFiles, oomCounterFiles, type CgroupPaths } from './cgroups.js';
import { cgroupViewEntries } from './cgroup-view.js';
import type { ResolvedUser } from './users.js';
import type { SpecEntries } from './monitor-protocol.js';
import { isRootless } from '../rootless/mode.js';

export type { SpecEntries }; // the network and volume services take it from here

export interface RunSpecInput {
  record: ContainerRecord;
  argv: string[];
  env: string[];
  user: ResolvedUser;
  rootfs: string;
  cgroups: CgroupPaths;
  logPath: string;
  exitFile: string;
  pidFile: string;
  attachSocket: string;
  waitAttach: boolean;
  netns?: string; // a prepared network namespace to join instead of a new one
  extra?: SpecEntries; // binds/tmpfs of volumes and /etc files, netns and its umount
  joinNamespaces?: NamespaceJoin[]; // --pid/--ipc/--uts container:NAME
}

// Another container's namespace the new one joins instead of creating its own.
export interface NamespaceJoin {
  kind: 'pid' | 'ipc' | 'uts';
  path: string; // /proc/PID/ns/KIND of the other container's init
}

/** The namespaces a new container gets of its own: none of those it shares with the host or another container. */
export function ownNamespaces(host: ContainerRecord['hostConfig']): string[] {
  const shared = (mode: string | undefined) => mode === 'host' || !!mode?.startsWith('container:');
  const modes: Record<string, string | undefined> = { pid: host.pidMode, ipc: host.ipcMode, uts: host.utsMode };
  return namespacesFor(host).filter((ns) => !shared(modes[ns]));
}

/** --ulimit, for the container's process and every exec alike (docker's). */
export function rlimitEntries(host: ContainerRecord['hostConfig']): SpecEntries {
  return (host.ulimits ?? []).map((u): [string, string] => ['rlimit', `${u.name} ${u.soft} ${u.hard}`]);
}

// --ulimit, --shm-size, --sysctl, --oom-score-adj, --device, --domainname
export function hostOptionEntries(record: ContainerRecord): SpecEntries {
  const host = record.hostConfig;
  const entries: SpecEntries = [];
  entries.push(...rlimitEntries(host));
  if (host.shmSizeBytes) entries.push(['shm_size', String(host.shmSizeBytes)]);
  for (const [key, value] of Object.entries(host.sysctls ?? {})) entries.push(['sysctl', `${key}\t${value}`]);
  if (host.oomScoreAdj) entries.push(['oom_score_adj', String(host.oomScoreAdj)]);
  // the host's node bound in: the same major:minor and mode; the cgroup rule decides access
  for (const d of host.devices ?? []) entries.push(['bind', `${d.pathOnHost}\t${d.pathInContainer}\t`]);
  if (record.config.domainname) entries.push(['domainname', record.config.domainname]);
  return entries;
}

export function namespacesFor(host: ContainerRecord['hostConfig']): string[] {
  const ns = ['pid', 'mount', 'uts', 'ipc'];
  if (host.cgroupns !== 'host') ns.push('cgroup');
  if (host.network !== 'host') ns.push('net');
  return ns;
}

export function securityEntries(record: ContainerRecord, privileged: boolean): SpecEntries {
  const entries: SpecEntries = [];
  const caps = effectiveCapabilities(privileged, record.hostConfig.capAdd, record.hostConfig.capDrop);
  for (const cap of caps) entries.push(['cap', cap]);
  const options = parseSecurityOptions(record.hostConfig.securityOpt);
  // docker's default leaves it off: sudo, su and file capabilities work unless asked
  entries.push(['no_new_privs', options.noNewPrivileges ? '1' : '0']);
  if (privileged || options.seccomp === 'unconfined') return entries;
  const profile = options.seccomp === 'default' ? resolveProfile(DOCKER_DEFAULT_PROFILE, caps) : shimRules(options.seccomp.profileJson, caps);
  entries.push(['seccomp', '1'], ['seccomp_default', profile.defaultAction]);
  for (const rule of profile.rules) entries.push(['seccomp_rule', shimRuleEntry(rule)]);
  return entries;
}

export function buildRunSpec(input: RunSpecInput): SpecEntries {
  const { record } = input;
  const host = record.hostConfig;
  const entries: SpecEntries = [
    ['id', record.id],
    ['rootfs', input.rootfs],
  ];
  const argv = host.init ? [CONTAINER_INIT_PATH, ...input.argv] : input.argv;
  for (const a of argv) entries.push(['arg', a]);
  for (const e of input.env) entries.push(['env', e]);
  entries.push(['cwd', record.config.workdir || '/']);
  entries.push(['user', `${input.user.uid}:${input.user.gid}`]);
  entries.push(['groups', input.user.groups.join(',')]);
  entries.push(['hostname', record.config.hostname]);
  for (const ns of ownNamespaces(host)) if (!(ns === 'net' && input.netns)) entries.push(['ns', ns]);
  for (const j of input.joinNamespaces ?? []) entries.push(['ns_join', `${j.kind}\t${j.path}`]);
  entries.push(...securityEntries(record, host.privileged));
  if (!host.privileged) {
    for (const p of MASKED_PATHS) entries.push(['mask', p]);
    for (const p of READONLY_PATHS) entries.push(['ropath', p]);
  }
  entries.push(...cgroupViewEntries(input.cgroups, host.privileged));
  // read-only and outside the rootfs' upper dir, like podman's /dev/init (catatonit)
  if (host.init) entries.push(['bind', `${initPath}\t${CONTAINER_INIT_PATH}\tro,nosuid,nodev`]);
  entries.push(...(input.extra ?? []));
  entries.push(...hostOptionEntries(record));
  entries.push(['readonly_rootfs', host.readOnly ? '1' : '0']);
  if (isRootless()) entries.push(['rootless', '1']);
  entries.push(['tty', record.config.tty ? '1' : '0']);
  entries.push(['open_stdin', record.config.openStdin ? '1' : '0']);
  entries.push(['wait_attach', input.waitAttach ? '1' : '0']);
  for (const f of joinFiles(input.cgroups)) entries.push(['cgroup_join', f]);
  for (const d of Object.values(input.cgroups)) entries.push(['cgroup_dir', d]);
  for (const f of oomCounterFiles(input.cgroups)) entries.push(['oom_counter', f]);
  entries.push(['umount', input.rootfs]);
  entries.push(['log', input.logPath]);
  entries.push(['log_max_size', String(host.log.maxSizeBytes ?? 0)]);
  entries.push(['log_max_files', String(host.log.maxFiles ?? 1)]);
  entries.push(['exit_file', input.exitFile]);
  entries.push(['pid_file', input.pidFile]);
  entries.push(['attach_socket', input.attachSocket]);
  return entries;
}

export const CONTAINER_INIT_PATH = '/dev/init';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// docker's environment: PATH unless the image sets one, HOSTNAME, HOME from passwd, TERM for a tty.
export function containerEnv(record: ContainerRecord, user: ResolvedUser): string[] {
  const env = new Map<string, string>();
  env.set('PATH', DEFAULT_PATH);
  env.set('HOSTNAME', record.config.hostname);
  if (record.config.tty) env.set('TERM', 'xterm');
  for (const kv of record.config.env) {
    const eq = kv.indexOf('=');
    // `-e NAME` without a value is resolved by the front end from its own environment
    if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  if (!env.has('HOME')) env.set('HOME', user.home || '/');
  return [...env].map(([k, v]) => `${k}=${v}`);
}
