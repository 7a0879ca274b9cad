// The run/create flags of docker's parity list (ulimits, devices, sysctls, namespace modes, DNS
// search/options, extra limits, …) read into the engine's CreateOptions.
import type { ContainerLimits, CreateOptions, ExtraHostOptions } from '../engine/api.js';
import { type ParsedCommand, flagList, flagString } from './args.js';
import { parseInteger } from './values.js';
import { parseDevice, parseKeyValues, parseNamespaceMode, parseSysctls, parseUlimits } from './run-values.js';
import { parseRamBytes } from '../engine/format/size.js';

function definedOnly<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) {
    const v = o[key];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete o[key];
  }
  return o;
}

const listOrUndefined = (p: ParsedCommand, long: string) => (flagList(p, long).length ? flagList(p, long) : undefined);

export function readExtraLimits(p: ParsedCommand): ContainerLimits {
  const limits: ContainerLimits = {};
  const swap = flagString(p, 'memory-swap');
  if (swap !== undefined) limits.memorySwapBytes = swap === '-1' ? -1 : parseRamBytes(swap, '--memory-swap');
  const reservation = flagString(p, 'memory-reservation');
  if (reservation !== undefined) limits.memoryReservationBytes = parseRamBytes(reservation, '--memory-reservation');
  const cpuset = flagString(p, 'cpuset-cpus');
  if (cpuset !== undefined) limits.cpusetCpus = cpuset;
  const mems = flagString(p, 'cpuset-mems');
  if (mems !== undefined) limits.cpusetMems = mems;
  const weight = flagString(p, 'blkio-weight');
  if (weight !== undefined && weight !== '0') limits.blkioWeight = parseInteger(weight, '--blkio-weight', { min: 0 });
  const period = flagString(p, 'cpu-period');
  if (period !== undefined) limits.cpuPeriod = parseInteger(period, '--cpu-period', { min: 0 });
  const quota = flagString(p, 'cpu-quota');
  if (quota !== undefined) limits.cpuQuota = parseInteger(quota, '--cpu-quota', { min: -1 });
  return limits;
}

export function readExtraHostOptions(p: ParsedCommand): ExtraHostOptions & Pick<CreateOptions, 'domainname' | 'ipAddress' | 'macAddress' | 'networkAliases'> {
  const shm = flagString(p, 'shm-size');
  const oom = flagString(p, 'oom-score-adj');
  const sysctls = flagList(p, 'sysctl');
  const annotations = flagList(p, 'annotation');
  return definedOnly({
    ulimits: parseUlimits(flagList(p, 'ulimit')),
    shmSizeBytes: shm === undefined ? undefined : parseRamBytes(shm, '--shm-size'),
    devices: flagList(p, 'device').map(parseDevice),
    groupAdd: listOrUndefined(p, 'group-add'),
    ipcMode: parseNamespaceMode(flagString(p, 'ipc'), '--ipc'),
    pidMode: parseNamespaceMode(flagString(p, 'pid'), '--pid'),
    utsMode: parseNamespaceMode(flagString(p, 'uts'), '--uts'),
    sysctls: sysctls.length ? parseSysctls(sysctls) : undefined,
    oomScoreAdj: oom === undefined ? undefined : parseInteger(oom, '--oom-score-adj', { min: -1000 }),
    dnsSearch: listOrUndefined(p, 'dns-search'),
    dnsOptions: listOrUndefined(p, 'dns-option'),
    domainname: flagString(p, 'domainname'),
    volumesFrom: listOrUndefined(p, 'volumes-from'),
    containerIdFile: flagString(p, 'cidfile'),
    cgroupParent: flagString(p, 'cgroup-parent'),
    annotations: annotations.length ? parseKeyValues(annotations, '--annotation') : undefined,
    ipAddress: flagString(p, 'ip'),
    ...(flagList(p, 'network-alias').length ? { networkAliases: flagList(p, 'network-alias') } : {}),
    macAddress: flagString(p, 'mac-address'),
  });
}
