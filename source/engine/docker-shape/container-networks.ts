// Which networks a container is on, read from its record the same way by the engine and every
// front end (inspect's NetworkSettings.Networks, ps's {{.Networks}} and --filter network): as
// configured (its endpoints, in interface order) and while it runs (its attachments).
import type { ContainerRecord, EndpointConfig, NetworkAttachment } from '../api.js';

// slirp4netns: rootless strata's default (engine/rootless/slirp.ts), a namespace of its own and no bridge
const BUILTIN_MODES = ['host', 'none', 'slirp4netns'];

/** The first network or mode: 'bridge', 'none', 'host' or a network's name. */
export function networkModeOf(record: Pick<ContainerRecord, 'hostConfig'>): string {
  const mode = record.hostConfig.network;
  return mode === 'private' || mode === 'default' || !mode ? 'bridge' : mode; // 'private': records of before
}

export function isBridgedMode(mode: string): boolean {
  return !BUILTIN_MODES.includes(mode) && !mode.startsWith('container:');
}

/** Its bridged networks in order (eth0 first); records of before keep one, with its options beside it. */
export function endpointsOf(record: Pick<ContainerRecord, 'hostConfig' | 'ipv4Address' | 'macAddress'>): EndpointConfig[] {
  if (record.hostConfig.networks) return record.hostConfig.networks;
  const mode = networkModeOf(record);
  if (!isBridgedMode(mode)) return [];
  return [{
    network: mode,
    ...(record.hostConfig.networkAliases?.length ? { aliases: record.hostConfig.networkAliases } : {}),
    ...(record.ipv4Address ? { ipv4Address: record.ipv4Address } : {}),
    ...(record.macAddress ? { macAddress: record.macAddress } : {}),
  }];
}

/** What it is attached to now: the first (default route, ports) and then the others. */
export function attachmentsOf(record: Pick<ContainerRecord, 'networkSettings' | 'extraNetworks'>): NetworkAttachment[] {
  return [...(record.networkSettings ? [record.networkSettings] : []), ...(record.extraNetworks ?? [])];
}

/** The names NetworkSettings.Networks has: its networks, or its mode (host, none). */
export function networkNamesOf(record: ContainerRecord): string[] {
  const endpoints = endpointsOf(record);
  return endpoints.length ? endpoints.map((e) => e.network) : [networkModeOf(record)];
}
