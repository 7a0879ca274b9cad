// docker's `ps --filter`: every filter docker has, AND across keys and OR within a key (label:
// every one must hold), with docker's matching (name and id are regular expressions, ancestor
// takes descendants too). The listing's own fields answer most; the few that need the whole
// record or the images (volume, network, publish, expose, ancestor) read them only when given.
import type { ContainerRecord, ContainerSummary, EngineApi } from '../engine/api.js';
import { readFilterFlags } from './filter-flags.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { attachmentsOf, networkNamesOf } from '../engine/docker-shape/container-networks.js';

export type PsFilters = Map<string, string[]>;

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];
const ISOLATION = ['default', 'process', 'hyperv'];
const KEYS = ['id', 'name', 'label', 'status', 'exited', 'ancestor', 'before', 'since', 'volume', 'network', 'publish', 'expose', 'health', 'isolation', 'is-task'];
const NEED_RECORD = ['volume', 'network', 'publish', 'expose'];

// docker's daemon refuses these with "invalid filter …" (exit 1 from the CLI)
function invalid(what: string): CliError {
  return new CliError(`invalid filter '${what}'`, EXIT_VERB_FAILED);
}

/** Parses and checks `--filter key=value` flags before anything is read. */
export function parsePsFilters(raw: string[]): PsFilters {
  const filters: PsFilters = readFilterFlags(raw, KEYS);
  for (const [key, values] of filters) {
    for (const value of values) {
      if (key === 'status' && !STATUSES.includes(value)) throw new CliError(`invalid filter 'status=${value}'`, EXIT_VERB_FAILED, `status is one of ${STATUSES.join(', ')}`);
      if (key === 'exited' && !/^-?\d+$/.test(value)) throw invalid(`exited=${value}`);
      if (key === 'health' && !HEALTH.includes(value)) throw new CliError(`Unrecognised filter value for health: ${value}`, EXIT_VERB_FAILED);
      if (key === 'isolation' && !ISOLATION.includes(value.toLowerCase())) throw new CliError(`Invalid isolation: '${value}'`, EXIT_VERB_FAILED);
      if (key === 'is-task' && value !== 'true' && value !== 'false') throw invalid(`is-task=${value}`);
      if (key === 'publish' || key === 'expose') portMatcher(value);
    }
  }
  return filters;
}

// docker's filters.Match: the value is an unanchored regular expression; a bad one matches nothing
function regexMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

function labelMatch(labels: Record<string, string>, want: string): boolean {
  const eq = want.indexOf('=');
  if (eq === -1) return Object.hasOwn(labels, want);
  return labels[want.slice(0, eq)] === want.slice(eq + 1);
}

/** docker's port filter value: 80, 80/udp or a range 8000-8080/tcp. */
function portMatcher(value: string): (port: number, protocol: string) => boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(value);
  if (!m) throw invalid(value);
  const low = Number(m[1]);
  const high = m[2] ? Number(m[2]) : low;
  const protocol = m[3] ?? 'tcp';
  return (port, proto) => port >= low && port <= high && proto === protocol;
}

function exposedPorts(r: ContainerRecord): Array<[number, string]> {
  const ports: Array<[number, string]> = (r.exposedPorts ?? []).map((e) => { const [p, proto] = e.split('/'); return [Number(p), proto ?? 'tcp']; });
  return [...ports, ...(r.ports ?? []).map((p): [number, string] => [p.containerPort, p.protocol])];
}

function recordTests(filters: PsFilters): Array<(r: ContainerRecord) => boolean> {
  const tests: Array<(r: ContainerRecord) => boolean> = [];
  const volume = filters.get('volume');
  if (volume) tests.push((r) => (r.mounts ?? []).some((m) => volume.some((v) => v === m.destination || v === (m.name ?? m.source))));
  const network = filters.get('network');
  if (network) {
    tests.push((r) => {
      const names = networkNamesOf(r);
      const ids = attachmentsOf(r).map((a) => a.networkId);
      return network.some((v) => names.includes(v) || ids.some((id) => id.startsWith(v)));
    });
  }
  const publish = filters.get('publish')?.map(portMatcher);
  if (publish) tests.push((r) => (r.ports ?? []).some((p) => publish.some((m) => m(p.containerPort, p.protocol))));
  const expose = filters.get('expose')?.map(portMatcher);
  if (expose) tests.push((r) => exposedPorts(r).some(([port, proto]) => expose.some((m) => m(port, proto))));
  return tests;
}

function createdOf(ref: string, all: ContainerSummary[]): number {
  const c = all.find((x) => x.name === ref.replace(/^\//, '')) ?? all.find((x) => x.id.startsWith(ref));
  if (!c) throw new CliError(`No such container: ${ref}`, EXIT_VERB_FAILED);
  return Date.parse(c.created);
}

// The ids of the images an ancestor filter names and of every image built on one of them (its
// layers start with theirs); an unknown image matches nothing, as in docker.
async function ancestorIds(engine: EngineApi, refs: string[]): Promise<Set<string>> {
  const roots: string[][] = [];
  for (const ref of refs) {
    const image = await engine.inspectImage(ref).catch(() => undefined);
    if (image) roots.push(image.chainIds);
  }
  const ids = new Set<string>();
  for (const summary of await engine.listImages(true)) {
    const image = await engine.inspectImage(summary.id).catch(() => undefined);
    if (image && roots.some((chain) => chain.every((c, i) => image.chainIds[i] === c))) ids.add(image.id);
  }
  return ids;
}

export interface PsFilterSource {
  all(): Promise<ContainerSummary[]>; // every container, for before/since
  engine(): Promise<EngineApi>;
}

/** The containers of `list` that pass every filter. */
export async function applyPsFilters(list: ContainerSummary[], filters: PsFilters, source: PsFilterSource): Promise<ContainerSummary[]> {
  const tests: Array<(c: ContainerSummary) => boolean> = [];
  const any = (key: string, test: (value: string, c: ContainerSummary) => boolean) => {
    const values = filters.get(key);
    if (values) tests.push((c) => values.some((v) => test(v, c)));
  };
  any('id', (v, c) => regexMatch(v, c.id));
  any('name', (v, c) => regexMatch(v, `/${c.name}`));
  any('status', (v, c) => c.status === v);
  any('exited', (v, c) => c.status === 'exited' && c.exitCode === Number(v)); // a start that failed is 'created' (docker)
  any('health', (v) => v === 'none'); // strata runs no health checks
  any('isolation', (v) => v.toLowerCase() === 'default');
  any('is-task', (v) => v === 'false');
  const labels = filters.get('label');
  if (labels) tests.push((c) => labels.every((l) => labelMatch(c.labels ?? {}, l)));
  const everyContainer = filters.has('before') || filters.has('since') ? await source.all() : [];
  const before = filters.get('before')?.map((ref) => createdOf(ref, everyContainer));
  if (before) tests.push((c) => before.some((t) => Date.parse(c.created) < t));
  const since = filters.get('since')?.map((ref) => createdOf(ref, everyContainer));
  if (since) tests.push((c) => since.some((t) => Date.parse(c.created) > t));
  let out = list.filter((c) => tests.every((t) => t(c)));

  const ancestors = filters.get('ancestor');
  if (ancestors) {
    const ids = await ancestorIds(await source.engine(), ancestors);
    out = out.filter((c) => ids.has(c.imageId));
  }
  if (NEED_RECORD.some((k) => filters.has(k))) {
    const engine = await source.engine();
    const byRecord = recordTests(filters);
    const kept: ContainerSummary[] = [];
    for (const c of out) {
      const record = await engine.inspectContainer(c.id).catch(() => undefined);
      if (record && byRecord.every((t) => t(record))) kept.push(c);
    }
    out = kept;
  }
  return out;
}
