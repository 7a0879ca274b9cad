// The resolved model in the shape `docker compose config` prints it: services and every map
// sorted by key (compose-go marshals maps sorted, its struct fields mostly in key order), ports
// with their implied `mode: ingress`, volumes with their empty `volume: {}`, exposed ports as
// strings, secrets and configs in their long form, the default Dockerfile named, depends_on
// without its default `restart: false`.
type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const sorted = (o: Raw): Raw => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

function port(p: Raw): Raw {
  return { mode: p.mode ?? 'ingress', ...(p.host_ip ? { host_ip: p.host_ip } : {}), target: p.target, ...(p.published !== undefined ? { published: p.published } : {}), protocol: p.protocol ?? 'tcp' };
}

function volume(v: Raw): Raw {
  const { type, source, target, read_only: readOnly, bind, tmpfs, volume: vol, ...rest } = v;
  return {
    type, ...(source !== undefined ? { source } : {}), target, ...(readOnly ? { read_only: true } : {}),
    ...(bind !== undefined ? { bind } : {}), ...(type === 'volume' ? { volume: vol ?? {} } : {}), ...(tmpfs !== undefined ? { tmpfs } : {}), ...rest,
  };
}

function service(s: Raw): Raw {
  const out: Raw = { ...s };
  if (Array.isArray(s.ports)) out.ports = s.ports.map((p) => (isObject(p) ? port(p) : p));
  if (Array.isArray(s.volumes)) out.volumes = s.volumes.map((v) => (isObject(v) ? volume(v) : v));
  if (Array.isArray(s.expose)) out.expose = s.expose.map(String);
  if (isObject(s.environment)) out.environment = sorted(s.environment);
  if (isObject(s.build)) out.build = { ...s.build, dockerfile: s.build.dockerfile ?? 'Dockerfile' };
  for (const kind of ['secrets', 'configs']) {
    if (Array.isArray(s[kind])) out[kind] = (s[kind] as unknown[]).map((e) => (isObject(e) ? e : { source: String(e) }));
  }
  if (isObject(s.depends_on)) {
    out.depends_on = sorted(Object.fromEntries(Object.entries(s.depends_on).map(([k, d]) => {
      const { restart, ...rest } = isObject(d) ? d : {};
      return [k, restart ? { ...rest, restart } : rest];
    })));
  }
  return sorted(out);
}

export function dockerConfigShape(model: Raw): Raw {
  const { name, services, networks, volumes, secrets, configs, ...rest } = model;
  return {
    name,
    services: sorted(Object.fromEntries(Object.entries(isObject(services) ? services : {}).map(([k, s]) => [k, isObject(s) ? service(s) : s]))),
    ...(isObject(networks) ? { networks: sorted(networks) } : {}),
    ...(isObject(volumes) ? { volumes: sorted(volumes) } : {}),
    ...(isObject(secrets) ? { secrets: sorted(secrets) } : {}),
    ...(isObject(configs) ? { configs: sorted(configs) } : {}),
    ...sorted(rest),
  };
}
