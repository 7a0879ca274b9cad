// Several compose files merged in order, by the Compose Specification's merge rules: mappings
// merge key by key, scalars and command-like sequences are replaced, option lists (ports,
// dns, cap_add…) are appended without duplicates, and volumes/secrets/configs merge by target.
// Services are in canonical (long) form here (canonical.ts), so maps merge as maps.

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

// Sequences whose entries add up across files.
const APPENDED = new Set(['ports', 'expose', 'dns', 'dns_search', 'dns_opt', 'tmpfs', 'cap_add', 'cap_drop', 'extra_hosts', 'external_links', 'env_file', 'group_add', 'profiles', 'security_opt', 'devices', 'links', 'volumes_from']);
// Sequences whose entries are keyed: a later file's entry replaces the one with its key.
const KEYED: Record<string, (entry: unknown) => string> = {
  volumes: (e) => (isObject(e) ? String(e.target) : String(e)),
  secrets: (e) => (isObject(e) ? String(e.target ?? e.source) : String(e)),
  configs: (e) => (isObject(e) ? String(e.target ?? e.source) : String(e)),
};

function union(base: unknown[], over: unknown[]): unknown[] {
  const seen = new Set(base.map((e) => JSON.stringify(e)));
  return [...base, ...over.filter((e) => !seen.has(JSON.stringify(e)))];
}

function byKey(base: unknown[], over: unknown[], key: (e: unknown) => string): unknown[] {
  const out = new Map<string, unknown>();
  for (const e of [...base, ...over]) out.set(key(e), e);
  return [...out.values()];
}

function mergeValue(key: string, base: unknown, over: unknown, inService: boolean): unknown {
  if (over === undefined) return base;
  if (isObject(base) && isObject(over)) return mergeMaps(base, over, inService);
  if (inService && Array.isArray(base) && Array.isArray(over)) {
    if (APPENDED.has(key)) return union(base, over);
    if (KEYED[key]) return byKey(base, over, KEYED[key]);
  }
  return over; // scalars, command, entrypoint, healthcheck.test …
}

function mergeMaps(base: Raw, over: Raw, inService: boolean): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeValue(k, base[k], v, inService);
  return out;
}

/** `override` laid over `base`: both whole compose files. */
export function mergeComposeFiles(base: Raw, override: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (k === 'services' && isObject(base.services) && isObject(v)) {
      const services: Raw = { ...base.services };
      for (const [name, svc] of Object.entries(v)) {
        const before = services[name];
        services[name] = isObject(before) && isObject(svc) ? mergeMaps(before, svc, true) : svc;
      }
      out.services = services;
    } else {
      out[k] = mergeValue(k, base[k], v, false);
    }
  }
  return out;
}

/** One service laid over another (extends, and the files' merge). */
export function mergeServices(base: Raw, over: Raw): Raw {
  return mergeMaps(base, over, true);
}
