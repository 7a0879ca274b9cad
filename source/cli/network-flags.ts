// run/create's --network, given once or more (docker's API 1.44 and up), in its short form (a
// name) or its long one (`name=a,alias=x,ip=…,mac-address=…`), read as docker's CLI reads it:
// the first network also takes --ip, --network-alias and --mac-address; user-defined networks
// and the built-in modes do not mix; no network twice.
import type { CreateOptions, EndpointConfig } from '../engine/api.js';
import { CliError } from './errors.js';
import { parseNetwork } from './values.js';

type FirstOptions = Pick<CreateOptions, 'ipAddress' | 'networkAliases' | 'macAddress'>;
export type NetworkFlags = Pick<CreateOptions, 'network' | 'moreNetworks'> & FirstOptions;

const BUILTIN = ['bridge', 'host', 'none', 'default'];
const UNSUPPORTED = ['ip6', 'link-local-ip', 'driver-opt', 'gw-priority'];

function parseAttachment(raw: string): EndpointConfig {
  if (!raw.includes('=')) return { network: parseNetwork(raw)! };
  const ep: EndpointConfig = { network: '' };
  for (const field of raw.split(',')) {
    const eq = field.indexOf('=');
    const [key, value] = eq < 0 ? [field, ''] : [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1)];
    if (key === 'name') ep.network = parseNetwork(value)!;
    else if (key === 'alias') ep.aliases = [...(ep.aliases ?? []), value];
    else if (key === 'ip') ep.ipv4Address = value;
    else if (key === 'mac-address') ep.macAddress = value;
    else if (UNSUPPORTED.includes(key)) throw new CliError(`invalid argument "${raw}" for "--network" flag: ${key} is not supported by strata (IPv4 bridge networks)`);
    else throw new CliError(`invalid argument "${raw}" for "--network" flag: invalid field key ${key}`);
  }
  if (!ep.network) throw new CliError(`invalid argument "${raw}" for "--network" flag: network name is required`);
  return ep;
}

function conflict(what: string): CliError {
  return new CliError(`conflicting options: cannot specify both ${what}`);
}

/** `first` holds --ip, --network-alias and --mac-address; what comes back replaces them. */
export function readNetworkFlags(values: string[], first: FirstOptions): NetworkFlags {
  if (values.length === 0) return {};
  const endpoints = values.map(parseAttachment);
  const head = endpoints[0];
  if (first.networkAliases?.length && head.aliases?.length) throw conflict('--network-alias and per-network alias');
  if (first.ipAddress && head.ipv4Address) throw conflict('--ip and per-network IPv4 address');
  if (first.macAddress && head.macAddress) throw conflict('--mac-address and per-network MAC address');
  const userDefined = endpoints.filter((e) => !BUILTIN.includes(e.network));
  if (userDefined.length > 0 && userDefined.length < endpoints.length) {
    throw new CliError('conflicting options: cannot attach both user-defined and non-user-defined network-modes');
  }
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (seen.has(e.network)) throw new CliError(`network "${e.network}" is specified multiple times`);
    seen.add(e.network);
  }
  const aliases = head.aliases ?? first.networkAliases;
  const ip = head.ipv4Address ?? first.ipAddress;
  const mac = head.macAddress ?? first.macAddress;
  return {
    network: head.network,
    ...(aliases?.length ? { networkAliases: aliases } : {}),
    ...(ip ? { ipAddress: ip } : {}),
    ...(mac ? { macAddress: mac } : {}),
    ...(endpoints.length > 1 ? { moreNetworks: endpoints.slice(1) } : {}),
  };
}
