// The HostConfig entries of docker's parity list, checked at create as docker checks them:
// devices that exist, namespaced sysctls only, namespaces of containers that exist, the
// mounts --volumes-from copies.
import fs from 'node:fs';
import type { ContainerRecord, CreateOptions, ExtraHostOptions, MountPoint } from '../api.js';
import { EngineError } from '../errors.js';
import { checkExtraLimits } from '../runtime/cgroup-extra-limits.js';
import { sysctlNamespace } from '../format/sysctls.js';

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024; // docker's, and the shim's /dev/shm default

export function checkSysctls(sysctls: Record<string, string>, network: string, ipcMode: string): void {
  for (const key of Object.keys(sysctls)) {
    const namespace = sysctlNamespace(key);
    if (namespace === 'net') {
      if (network === 'host') throw new EngineError(`sysctl "${key}" not allowed in host network namespace`, 'invalid');
      continue;
    }
    if (!namespace) throw new EngineError(`sysctl "${key}" is not in a separate kernel namespace`, 'invalid');
    if (ipcMode === 'host') throw new EngineError(`sysctl "${key}" not allowed in host IPC namespace`, 'invalid');
  }
}

function checkDevices(devices: NonNullable<ExtraHostOptions['devices']>): void {
  for (const d of devices) {
    let st: fs.Stats;
    try {
      st = fs.statSync(d.pathOnHost);
    } catch (err) {
      throw new EngineError(`error gathering device information while adding custom device "${d.pathOnHost}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, 'invalid');
    }
    if (!st.isCharacterDevice() && !st.isBlockDevice()) throw new EngineError(`error gathering device information while adding custom device "${d.pathOnHost}": not a device node`, 'invalid');
  }
}

export interface OtherContainers {
  find(ref: string): ContainerRecord; // throws not-found
}

function checkNamespaceMode(mode: string | undefined, what: string, others: OtherContainers): void {
  if (!mode?.startsWith('container:')) return;
  const ref = mode.slice('container:'.length);
  try {
    others.find(ref);
  } catch {
    throw new EngineError(`No such container: ${ref} (joining its ${what} namespace)`, 'not-found');
  }
}

// --volumes-from CONTAINER[:ro|rw]: the other container's volumes and binds at the same places
export function mountsFrom(refs: string[], others: OtherContainers): MountPoint[] {
  const out: MountPoint[] = [];
  for (const entry of refs) {
    const [ref, mode] = entry.split(':');
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw new EngineError(`invalid mode for volumes-from: ${mode}`, 'invalid');
    const other = others.find(ref);
    for (const m of other.mounts ?? []) {
      if (m.type === 'tmpfs') continue;
      out.push({ ...m, rw: mode === undefined ? m.rw : mode === 'rw', anonymous: false });
    }
  }
  return out;
}

/**
 * --network container:NAME: the container whose namespace this one shares, and docker's
 * refusals of what only a namespace of its own could have.
 */
export function sharedNetworkOf(opts: CreateOptions, others: OtherContainers): ContainerRecord | undefined {
  if (!opts.network?.startsWith('container:')) return undefined;
  const ref = opts.network.slice('container:'.length);
  if (!ref) throw new EngineError('invalid network mode "container:": a container name or id is needed', 'invalid');
  if (opts.hostname) throw new EngineError('conflicting options: hostname and the network mode', 'invalid');
  if (opts.dns?.length) throw new EngineError('conflicting options: dns and the network mode', 'invalid');
  if (opts.extraHosts?.length) throw new EngineError('conflicting options: custom host-to-IP mapping and the network mode', 'invalid');
  if (opts.ports?.length || opts.publishAll) throw new EngineError('conflicting options: port publishing and the container type network mode', 'invalid');
  if (opts.macAddress) throw new EngineError('conflicting options: mac-address and the network mode', 'invalid');
  if (opts.networkAliases?.length || opts.ipAddress) throw new EngineError('conflicting options: network-scoped alias or IP address and the container type network mode', 'invalid');
  let other: ContainerRecord;
  try {
    other = others.find(ref);
  } catch {
    throw new EngineError(`No such container: ${ref}`, 'not-found');
  }
  const theirs = other.hostConfig.network;
  if (theirs.startsWith('container:')) return others.find(theirs.slice('container:'.length)); // docker joins the owner of the namespace
  return other;
}

const BUILTIN_NETWORKS = ['bridge', 'host', 'none'];

/** --ip on a user-defined network only, --mac-address on a bridged one, as docker. */
export function checkAddresses(opts: CreateOptions, network: string): void {
  if (opts.ipAddress && BUILTIN_NETWORKS.includes(network)) throw new EngineError('user specified IP address is supported on user defined networks only', 'invalid');
  if (opts.networkAliases?.length && BUILTIN_NETWORKS.includes(network)) throw new EngineError('network-scoped alias is supported only for containers in user defined networks', 'invalid');
  if (opts.ipAddress && !/^\d{1,3}(\.\d{1,3}){3}$/.test(opts.ipAddress)) throw new EngineError(`invalid IPv4 address: ${opts.ipAddress}`, 'invalid');
  if (opts.macAddress && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(opts.macAddress)) throw new EngineError(`invalid MAC address: ${opts.macAddress}`, 'invalid');
  if (opts.macAddress && (network === 'host' || network === 'none')) throw new EngineError('conflicting options: mac-address and the network mode', 'invalid');
}

export function hostOptionsFor(opts: CreateOptions, network: string, others: OtherContainers): ExtraHostOptions {
  if (opts.oomScoreAdj !== undefined && (opts.oomScoreAdj < -1000 || opts.oomScoreAdj > 1000)) {
    throw new EngineError(`Invalid value ${opts.oomScoreAdj}, range for oom score adj is [-1000, 1000]`, 'invalid');
  }
  if (opts.shmSizeBytes !== undefined && opts.shmSizeBytes <= 0) throw new EngineError('SHM size can not be less than 0', 'invalid');
  const limitsProblem = checkExtraLimits(opts.limits ?? {});
  if (limitsProblem) throw new EngineError(limitsProblem, 'invalid');
  if (opts.cgroupParent !== undefined && opts.cgroupParent.split('/').includes('..')) throw new EngineError(`invalid cgroup parent ${opts.cgroupParent}`, 'invalid');
  checkSysctls(opts.sysctls ?? {}, network, opts.ipcMode ?? '');
  checkAddresses(opts, network);
  checkDevices(opts.devices ?? []);
  checkNamespaceMode(opts.pidMode, 'pid', others);
  checkNamespaceMode(opts.ipcMode, 'ipc', others);
  checkNamespaceMode(opts.utsMode, 'uts', others);
  if (opts.utsMode === 'host' && opts.hostname) throw new EngineError('Conflicting options: hostname and the UTS mode', 'invalid');
  return {
    ulimits: opts.ulimits ?? [],
    shmSizeBytes: opts.shmSizeBytes ?? DEFAULT_SHM_SIZE,
    devices: opts.devices ?? [],
    groupAdd: opts.groupAdd ?? [],
    ipcMode: opts.ipcMode ?? 'private',
    pidMode: opts.pidMode ?? '',
    utsMode: opts.utsMode ?? '',
    sysctls: opts.sysctls ?? {},
    oomScoreAdj: opts.oomScoreAdj ?? 0,
    dnsSearch: opts.dnsSearch ?? [],
    dnsOptions: opts.dnsOptions ?? [],
    volumesFrom: opts.volumesFrom ?? [],
    containerIdFile: opts.containerIdFile ?? '',
    cgroupParent: opts.cgroupParent ?? '',
    annotations: opts.annotations ?? {},
  };
}
