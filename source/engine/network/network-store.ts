// Network records under <root>/networks/<name>/network.json. `bridge` (the default) is made on
// first use; `host` and `none` are built in and never stored.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkCreateOptions, NetworkRecord } from '../api.js';
import { EngineError } from '../errors.js';
import { writeJsonAtomic } from '../store/json-file.js';
import { formatCidr, formatIp, parseCidr, parseIp, contains, freeSubnet, overlaps, routeConflict, type Cidr } from './cidr.js';
import { withFileLockSync } from '../store/lock.js';

export const DEFAULT_NETWORK = 'bridge';
const DEFAULT_ROOT = '/var/lib/strata';
const VALID_NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// the store's directory for it must fit a file name, 255 bytes
const MAX_NAME = 200;

// Outside both other engines' defaults, also the ranges they allocate from later: docker's
// docker0 is 172.17.0.0/16 and its networks come from 172.17–31.0.0/16 and 192.168.0.0/16;
// podman's default is 10.88.0.0/16 and its networks come from 10.89.0.0/16 upward to 10.255.
// (With podman's 10.88.0.0/16 podman's own containers lost DNS beside ours.)
const OTHER_ENGINES = "docker's (172.17.0.0/16, 172.18–31.0.0/16, 192.168.0.0/16) and podman's (10.88.0.0/16, 10.89.0.0 and up)";
const PREFERRED_DEFAULT = '10.77.0.0/16';
const USER_POOL = parseCidr('10.78.0.0/16');
const OTHER_ROOT_POOL = parseCidr('10.79.0.0/16');

function builtin(name: 'host' | 'none'): NetworkRecord {
  const id = crypto.createHash('sha256').update(`strata-builtin-${name}`).digest('hex');
  return { id, name, driver: name === 'host' ? 'host' : 'null', bridge: '', subnet: '', gateway: '', created: '1970-01-01T00:00:00Z', labels: {}, builtin: true };
}

export class NetworkStore {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = path.join(path.resolve(root), 'networks');
  }

  networkDir(name: string): string { return path.join(this.dir, name); }
  lockFile(name: string): string { return path.join(this.networkDir(name), 'lock'); }
  ipamDir(name: string): string { return path.join(this.networkDir(name), 'ipam'); }

  private read(name: string): NetworkRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.networkDir(name), 'network.json'), 'utf8')) as NetworkRecord;
    } catch {
      return undefined;
    }
  }

  stored(): NetworkRecord[] {
    let names: string[] = [];
    try { names = fs.readdirSync(this.dir); } catch { /* none yet */ }
    return names.map((n) => this.read(n)).filter((r): r is NetworkRecord => r !== undefined);
  }

  all(): NetworkRecord[] {
    const stored = this.stored();
    if (!stored.some((n) => n.name === DEFAULT_NETWORK)) stored.push(this.ensureDefault());
    return [...stored, builtin('host'), builtin('none')].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** By name, full id or unique id prefix; the default network is made on first reference. */
  find(ref: string): NetworkRecord {
    if (ref === 'host' || ref === 'none') return builtin(ref);
    if (ref === DEFAULT_NETWORK) return this.read(DEFAULT_NETWORK) ?? this.ensureDefault();
    const byName = this.read(ref);
    if (byName && VALID_NETWORK_NAME.test(ref)) return byName;
    const all = this.all();
    const byId = all.filter((n) => /^[0-9a-f]+$/.test(ref) && n.id.startsWith(ref));
    if (byId.length === 1) return byId[0];
    if (byId.length > 1) throw new EngineError(`network ${ref} is ambiguous (${byId.length} matches found based on ID prefix)`, 'invalid');
    throw new EngineError(`network ${ref} not found`, 'not-found');
  }

  create(name: string, opts: NetworkCreateOptions = {}): NetworkRecord {
    if (!VALID_NETWORK_NAME.test(name)) throw new EngineError(`invalid network name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 'invalid');
    if (name.length > MAX_NAME) throw new EngineError(`invalid network name "${name.slice(0, 20)}…": ${name.length} characters long, more than the ${MAX_NAME} a network name may have`, 'invalid');
    if (name === 'host' || name === 'none' || name === DEFAULT_NETWORK) throw new EngineError(`network with name ${name} already exists`, 'conflict');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return withFileLockSync(path.join(this.dir, '.lock'), () => {
      if (this.read(name)) throw new EngineError(`network with name ${name} already exists`, 'conflict');
      const id = crypto.randomBytes(32).toString('hex');
      const subnet = opts.subnet ? this.checkedSubnet(opts.subnet) : this.pickSubnet(USER_POOL, 0);
      const subnetReason = opts.subnet ? 'given with --subnet' : `the first free /24 of ${formatCidr(USER_POOL)}, outside ${OTHER_ENGINES} pools`;
      const gateway = this.gatewayFor(subnet, opts.gateway);
      return this.write({ id, name, driver: 'bridge', bridge: `strata-${id.slice(0, 8)}`, subnet: formatCidr(subnet), gateway, created: new Date().toISOString(), labels: opts.labels ?? {}, builtin: false, subnetReason });
    });
  }

  private ensureDefault(): NetworkRecord {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return withFileLockSync(path.join(this.dir, '.lock'), () => {
      const existing = this.read(DEFAULT_NETWORK);
      if (existing) return existing;
      const isDefaultRoot = path.resolve(this.root) === DEFAULT_ROOT;
      const rootHash = crypto.createHash('sha256').update(path.resolve(this.root)).digest('hex');
      let subnet: Cidr;
      let subnetReason: string;
      const route = isDefaultRoot ? routeConflict(parseCidr(PREFERRED_DEFAULT)) : undefined;
      if (isDefaultRoot && !route) {
        subnet = parseCidr(PREFERRED_DEFAULT);
        subnetReason = `strata's default, outside ${OTHER_ENGINES} default networks and pools`;
      } else {
        // another root (tests, a second store) gets its own bridge and a /24 of its own
        subnet = this.pickSubnet(OTHER_ROOT_POOL, parseInt(rootHash.slice(0, 4), 16) % 256);
        subnetReason = route
          ? `${PREFERRED_DEFAULT} overlaps the host route ${route}: a free /24 of ${formatCidr(OTHER_ROOT_POOL)}, outside ${OTHER_ENGINES} pools`
          : `a free /24 of ${formatCidr(OTHER_ROOT_POOL)} for a store other than ${DEFAULT_ROOT}, outside ${OTHER_ENGINES} pools`;
      }
      const id = crypto.createHash('sha256').update(`strata-bridge-${path.resolve(this.root)}`).digest('hex');
      return this.write({
        id, name: DEFAULT_NETWORK, driver: 'bridge', bridge: isDefaultRoot ? 'strata0' : `strata-${rootHash.slice(0, 8)}`,
        subnet: formatCidr(subnet), gateway: formatIp(subnet.base + 1), created: new Date().toISOString(), labels: {}, builtin: true, subnetReason,
      });
    });
  }

  private checkedSubnet(text: string): Cidr {
    const c = parseCidr(text);
    const clash = this.stored().find((n) => n.subnet && overlaps(parseCidr(n.subnet), c));
    if (clash) throw new EngineError(`subnet ${formatCidr(c)} overlaps with network ${clash.name} (${clash.subnet})`, 'conflict');
    const route = routeConflict(c);
    if (route) throw new EngineError(`subnet ${formatCidr(c)} overlaps with the host route ${route}`, 'conflict');
    return c;
  }

  private pickSubnet(pool: Cidr, startAt: number): Cidr {
    const taken = this.stored().filter((n) => n.subnet).map((n) => parseCidr(n.subnet));
    const found = freeSubnet(pool, 24, taken, startAt);
    if (!found) throw new EngineError(`no free subnet left in ${formatCidr(pool)}: give one with --subnet`, 'conflict');
    return found;
  }

  private gatewayFor(subnet: Cidr, wanted?: string): string {
    if (wanted === undefined) return formatIp(subnet.base + 1);
    const ip = parseIp(wanted);
    if (ip === undefined || !contains(subnet, ip)) throw new EngineError(`invalid gateway ${wanted}: not an address in ${formatCidr(subnet)}`, 'invalid');
    return wanted;
  }

  private write(record: NetworkRecord): NetworkRecord {
    fs.mkdirSync(this.ipamDir(record.name), { recursive: true, mode: 0o700 });
    writeJsonAtomic(path.join(this.networkDir(record.name), 'network.json'), record);
    return record;
  }

  remove(record: NetworkRecord): void {
    const doomed = `${this.networkDir(record.name)}.removing`;
    fs.renameSync(this.networkDir(record.name), doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
  }
}
