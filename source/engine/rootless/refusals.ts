// What rootless strata cannot do on this host, refused at create (and update, pause) with one
// line naming the flag and what is missing, docker's exit 125: limits without a delegated
// cgroup, networks it has no way to reach, user namespaces inside its own.
import type { ContainerLimits, CreateOptions } from '../api.js';
import { EngineError } from '../errors.js';
import { cgroupHierarchies, type CgroupLayout, type Controller } from '../runtime/cgroup-layout.js';
import { SLIRP_MODE } from './slirp.js';

// Each limit, its flag and the controller it needs.
const LIMIT_NEEDS: Array<[keyof ContainerLimits, string, Controller]> = [
  ['memoryBytes', '--memory', 'memory'],
  ['memorySwapBytes', '--memory-swap', 'memory'],
  ['memoryReservationBytes', '--memory-reservation', 'memory'],
  ['nanoCpus', '--cpus', 'cpu'],
  ['cpuShares', '--cpu-shares', 'cpu'],
  ['cpuPeriod', '--cpu-period', 'cpu'],
  ['cpuQuota', '--cpu-quota', 'cpu'],
  ['pidsLimit', '--pids-limit', 'pids'],
  ['cpusetCpus', '--cpuset-cpus', 'cpuset'],
  ['cpusetMems', '--cpuset-mems', 'cpuset'],
  ['blkioWeight', '--blkio-weight', 'blkio'],
];

/** Why `controller` (or any cgroup) does not serve rootless strata here: for messages and `info`. */
export function cgroupAbsence(layout: CgroupLayout, controller?: Controller): string {
  if (layout.unified) return `the delegated cgroup v2 group ${layout.unified} does not offer ${controller ?? 'it'}`;
  const v1Host = cgroupHierarchies().some((h) => h.version === 'v1' && (!controller || h.options.includes(controller)));
  return v1Host ? 'cgroup v1 gives no delegation to unprivileged users' : 'no cgroup v2 group is delegated to this user';
}

/** Refuses limits whose controller is not delegated to this user. */
export function refuseUndelegatedLimits(limits: ContainerLimits, layout: CgroupLayout): void {
  for (const [key, flag, controller] of LIMIT_NEEDS) {
    const value = limits[key];
    if (value === undefined || value === 0 || value === '') continue;
    if (!layout.controllers[controller]) {
      throw new EngineError(`rootless strata cannot apply ${flag}: no ${controller} cgroup is delegated to this user (${cgroupAbsence(layout, controller)})`, 'invalid');
    }
  }
}

/** Refuses what a rootless container cannot have; returns the network mode it may use. */
export function refuseRootlessCreate(opts: CreateOptions, network: string, layout: CgroupLayout): void {
  refuseUndelegatedLimits(opts.limits ?? {}, layout);
  if (opts.userns === 'auto') throw new EngineError('--userns=auto is not available to rootless strata: its containers already run in the user\'s user namespace', 'invalid');
  if (network !== 'none' && network !== 'host' && network !== SLIRP_MODE) {
    throw new EngineError(`rootless strata cannot join network "${network}": user-defined bridge networks need root; use the default (slirp4netns), --network none or --network host`, 'invalid');
  }
  if (opts.devices?.length) throw new EngineError('rootless strata cannot give --device: device nodes need root', 'invalid');
}

/** Refuses pause/unpause without a freezer. */
export function refuseWithoutFreezer(name: string, layout: CgroupLayout): void {
  if (!layout.controllers.freezer) {
    throw new EngineError(`cannot pause container ${name}: pausing needs the freezer cgroup, and rootless strata has none here (${cgroupAbsence(layout, 'freezer')})`, 'invalid');
  }
}
