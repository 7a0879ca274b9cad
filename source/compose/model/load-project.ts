// A compose project from its files, as docker compose loads it: find the files, read `.env`,
// interpolate, turn short syntaxes long, merge in order, resolve `extends`, check against the
// Compose Specification, name the project, apply profiles and type every service.
import fs from 'node:fs';
import path from 'node:path';
import { canonicalService, formatPath, throwAt } from './canonical.js';
import { readEnvFile } from './env-file.js';
import { absoluteFileSources, addIncluded, includedVariables, includeEntries } from './include.js';
import { ComposeError } from './errors.js';
import { checkProjectName, composeFiles, normalizeProjectName } from './files.js';
import { interpolateTree, InterpolationError } from './interpolate.js';
import { mergeComposeFiles, mergeServices } from './merge.js';
import { normalizeService } from './normalize.js';
import { schemaProblem } from './schema.js';
import { parseComposeText, readComposeFile, type ComposeSource } from './source-file.js';
import type { ComposeProject, ProjectNetwork, ProjectVolume } from './types.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface LoadOptions {
  files: string[]; // -f, in order; empty: found as docker compose finds them
  projectName?: string; // -p
  projectDirectory?: string; // --project-directory
  envFiles?: string[]; // --env-file
  profiles?: string[]; // --profile
  services?: string[]; // named on the command line: enabled whatever their profiles
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin?: () => string; // `-f -`
  warn: (message: string) => void;
}

function readSource(file: string, options: LoadOptions): ComposeSource {
  if (file === '-') return parseComposeText(options.stdin?.() ?? fs.readFileSync(0, 'utf8'), '-');
  return readComposeFile(file);
}

/** The variables interpolation sees: the environment over the project's `.env` file(s). */
function variables(projectDir: string, options: LoadOptions): Map<string, string> {
  const out = new Map<string, string>();
  const files = options.envFiles?.length ? options.envFiles.map((f) => path.resolve(options.cwd, f)) : [path.join(projectDir, '.env')];
  for (const file of files) {
    if (!options.envFiles?.length && !fs.existsSync(file)) continue;
    for (const [k, v] of readEnvFile(file, (name) => out.get(name) ?? options.env[name])) out.set(k, v);
  }
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) out.set(k, v);
  return out;
}

function resolveExtends(services: Raw, name: string, sources: ComposeSource[], seen: string[], loadOther: (file: string) => Raw): Raw {
  const svc = services[name];
  if (!isObject(svc) || svc.extends === undefined) return svc as Raw;
  if (seen.includes(name)) throw new ComposeError(`circular reference with extends: ${[...seen, name].join(' → ')}`, { path: `services.${name}.extends` });
  const ext = typeof svc.extends === 'string' ? { service: svc.extends } : (svc.extends as Raw);
  const baseName = String(ext.service);
  let base: Raw;
  if (ext.file) {
    const other = loadOther(String(ext.file));
    if (!isObject(other[baseName])) throw new ComposeError(`cannot extend service "${name}": service "${baseName}" not found in ${String(ext.file)}`);
    base = resolveExtends(other, baseName, sources, [...seen, name], loadOther);
  } else {
    if (!isObject(services[baseName])) throw new ComposeError(`cannot extend service "${name}": service "${baseName}" not found`, { path: `services.${name}.extends` });
    base = resolveExtends(services, baseName, sources, [...seen, name], loadOther);
  }
  const own = { ...svc };
  delete own.extends;
  const merged = mergeServices(base, own);
  delete merged.depends_on; // extends does not carry depends_on over, as in docker compose
  if (own.depends_on !== undefined) merged.depends_on = own.depends_on;
  return merged;
}

/**
 * Files merged in order into one model, `extends` resolved, then what they `include` added —
 * each part with its own directory and variables. `sources` collects every file read.
 */
function loadModel(files: string[], projectDir: string, vars: Map<string, string>, options: LoadOptions, sources: ComposeSource[], chain: string[]): Raw {
  const lookup = (name: string) => vars.get(name);
  const prepare = (source: ComposeSource): Raw => {
    const fail = throwAt(source.file, source.lineOf);
    const data = interpolateTree(source.data, lookup, options.warn, (at, error: InterpolationError) => fail(at, error.message)) as Raw;
    if (data.services !== undefined && !isObject(data.services)) fail(['services'], 'must be a mapping');
    const services: Raw = {};
    for (const [name, svc] of Object.entries((data.services as Raw) ?? {})) {
      if (!isObject(svc)) fail(['services', name], 'must be a mapping');
      services[name] = canonicalService(svc as Raw, ['services', name], fail, projectDir);
    }
    return { ...data, ...(data.services !== undefined ? { services } : {}) };
  };
  let merged: Raw = {};
  for (const file of files) {
    const source = readSource(file, options);
    sources.push(source);
    merged = mergeComposeFiles(merged, prepare(source));
  }

  const services = isObject(merged.services) ? { ...merged.services } : {};
  const loadOther = (file: string): Raw => {
    const source = readComposeFile(path.resolve(projectDir, file));
    return (prepare(source).services as Raw) ?? {};
  };
  for (const name of Object.keys(services)) services[name] = resolveExtends(services, name, sources, [], loadOther);
  merged = absoluteFileSources({ ...merged, ...(merged.services !== undefined ? { services } : {}) }, projectDir);

  for (const inc of includeEntries(merged, projectDir)) {
    const loop = inc.files.find((f) => chain.includes(f));
    if (loop) throw new ComposeError(`include cycle detected: ${[...chain, loop].join(' → ')}`, { file: files[0] });
    for (const f of inc.files) if (!fs.existsSync(f)) throw new ComposeError(`included file ${f} not found`, { file: files[0] });
    const sub = loadModel(inc.files, inc.projectDir, includedVariables(inc.envFiles, vars), options, sources, [...chain, ...inc.files]);
    merged = addIncluded(merged, sub, files[0]);
  }
  delete merged.include;
  return merged;
}

export function loadProject(options: LoadOptions): ComposeProject {
  const files = composeFiles(options.files, options.cwd, options.env);
  const projectDir = path.resolve(options.cwd, options.projectDirectory ?? (files[0] === '-' ? options.cwd : path.dirname(files[0])));
  const vars = variables(projectDir, options);
  const lookup = (name: string) => vars.get(name);

  const sources: ComposeSource[] = [];
  let merged = loadModel(files, projectDir, vars, options, sources, files.filter((f) => f !== '-').map((f) => path.resolve(options.cwd, f)));
  const services = isObject(merged.services) ? { ...merged.services } : {};
  merged = { ...merged, services };

  // Where a key is: the last file that has it wrote the value that counts.
  const place = (at: ReadonlyArray<string | number>) => {
    for (const source of [...sources].reverse()) {
      let node: unknown = source.data;
      let found = true;
      for (const key of at) {
        if (isObject(node) && key in node) node = node[key as string];
        else if (Array.isArray(node) && Number(key) < node.length) node = node[Number(key)];
        else {
          found = false;
          break;
        }
      }
      if (found) return { file: source.file, line: source.lineOf(at) };
    }
    return { file: sources[sources.length - 1]?.file, line: undefined };
  };
  const fail = (at: ReadonlyArray<string | number>, message: string, lineAt: ReadonlyArray<string | number> = at): never => {
    throw new ComposeError(message, { ...place(lineAt), path: formatPath(at) });
  };

  const problem = schemaProblem(merged);
  if (problem) fail(problem.path, problem.message, problem.lineAt);
  if (Object.keys(services).length === 0) throw new ComposeError('no service defined', { file: sources[0]?.file });

  const fromFlag = options.projectName;
  const fromEnv = vars.get('COMPOSE_PROJECT_NAME');
  const name = fromFlag !== undefined
    ? checkProjectName(fromFlag, '-p')
    : fromEnv
      ? checkProjectName(fromEnv, 'COMPOSE_PROJECT_NAME')
      : typeof merged.name === 'string' && merged.name
        ? checkProjectName(merged.name, 'name:')
        : checkProjectName(normalizeProjectName(path.basename(projectDir)), `the directory ${projectDir}`);

  const active = new Set(options.profiles?.length ? options.profiles : (vars.get('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter(Boolean));
  const named = new Set(options.services ?? []);
  for (const s of named) if (!(s in services)) throw new ComposeError(`no such service: ${s}`);
  const typed = Object.entries(services).map(([svcName, svc]) => normalizeService(svcName, svc as Raw, merged, name, projectDir, lookup, fail));
  const enabled = typed.filter((s) => s.profiles.length === 0 || s.profiles.some((p) => active.has(p)) || named.has(s.name));
  const enabledNames = new Set(enabled.map((s) => s.name));
  for (const s of enabled) {
    for (const [dep, d] of Object.entries(s.dependsOn)) {
      if (!(dep in services)) fail(['services', s.name, 'depends_on'], `depends on undefined service "${dep}"`);
      if (!enabledNames.has(dep) && d.required) fail(['services', s.name, 'depends_on'], `depends on service "${dep}", which no active profile enables`);
    }
  }

  const topNetworks = isObject(merged.networks) ? merged.networks : {};
  const networks: Record<string, ProjectNetwork> = {};
  const usesDefault = enabled.some((s) => 'default' in s.networks);
  for (const key of new Set([...Object.keys(topNetworks), ...(usesDefault ? ['default'] : [])])) {
    const def = isObject(topNetworks[key]) ? topNetworks[key] : {};
    const external = def.external === true || isObject(def.external);
    const ipam = isObject(def.ipam) ? def.ipam : {};
    const config = Array.isArray(ipam.config) && isObject(ipam.config[0]) ? (ipam.config[0] as Raw) : {};
    networks[key] = {
      name: typeof def.name === 'string' ? def.name : external ? key : `${name}_${key}`,
      external,
      labels: (canonicalLabels(def.labels)),
      ...(config.subnet ? { subnet: String(config.subnet) } : {}),
      ...(config.gateway ? { gateway: String(config.gateway) } : {}),
    };
  }
  for (const s of enabled) for (const key of Object.keys(s.networks)) if (!networks[key]) fail(['services', s.name, 'networks', key], `service "${s.name}" refers to undefined network ${key}: invalid compose project`);

  const topVolumes = isObject(merged.volumes) ? merged.volumes : {};
  const volumes: Record<string, ProjectVolume> = {};
  for (const [key, raw] of Object.entries(topVolumes)) {
    const def = isObject(raw) ? raw : {};
    const external = def.external === true || isObject(def.external);
    volumes[key] = { name: typeof def.name === 'string' ? def.name : external ? key : `${name}_${key}`, external, labels: canonicalLabels(def.labels) };
  }
  for (const s of enabled) {
    s.volumes.forEach((v, i) => {
      if (v.type === 'volume' && v.source && !volumes[v.source]) fail(['services', s.name, 'volumes', i], `service "${s.name}" refers to undefined volume ${v.source}: invalid compose project`);
    });
  }

  return {
    name,
    workingDir: projectDir,
    files,
    services: enabled,
    disabled: typed.filter((s) => !enabledNames.has(s.name)).map((s) => s.name),
    networks,
    volumes,
    model: resolvedModel(name, merged, enabledNames, networks, volumes),
  };
}

/** What `config` prints: the merged model with docker compose's implied defaults written out. */
function resolvedModel(name: string, merged: Raw, enabled: Set<string>, networks: Record<string, ProjectNetwork>, volumes: Record<string, ProjectVolume>): Raw {
  const services = Object.fromEntries(Object.entries((merged.services as Raw) ?? {}).filter(([n]) => enabled.has(n)).map(([n, raw]) => {
    const svc = { ...(raw as Raw) };
    if (svc.networks === undefined && svc.network_mode === undefined) svc.networks = { default: null };
    return [n, svc];
  }));
  const { name: _name, services: _services, networks: _networks, volumes: _volumes, ...rest } = merged;
  return {
    name,
    services,
    ...(Object.keys(networks).length ? { networks: Object.fromEntries(Object.entries(networks).map(([k, n]) => [k, { ...((merged.networks as Raw | undefined)?.[k] as Raw | undefined ?? {}), name: n.name }])) } : {}),
    ...(Object.keys(volumes).length ? { volumes: Object.fromEntries(Object.entries(volumes).map(([k, v]) => [k, { ...((merged.volumes as Raw | undefined)?.[k] as Raw | undefined ?? {}), name: v.name }])) } : {}),
    ...rest,
  };
}

function canonicalLabels(value: unknown): Record<string, string> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((e) => String(e).split(/=(.*)/s).slice(0, 2)).map(([k, v]) => [k, v ?? '']));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  return {};
}
