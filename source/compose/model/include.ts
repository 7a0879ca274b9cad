// `include:` (Compose Specification): other compose files loaded as projects of their own —
// paths relative to their own directory, variables from their own `.env` (or env_file) under
// the including project's — whose services, networks, volumes, secrets and configs join the
// including model. A resource defined on both sides is refused, as docker compose does.
import fs from 'node:fs';
import path from 'node:path';
import { readEnvFile } from './env-file.js';
import { ComposeError } from './errors.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

export interface IncludedFiles {
  files: string[]; // absolute, merged in order
  projectDir: string;
  envFiles: string[]; // absolute; default: the included project's .env when there is one
}

/** The `include:` entries of a (merged) model, paths resolved against the including project's directory. */
export function includeEntries(model: Raw, projectDir: string): IncludedFiles[] {
  if (model.include === undefined) return [];
  return (model.include as unknown[]).map((entry) => {
    const raw = isObject(entry) ? entry : { path: entry };
    const files = list(raw.path).map((f) => path.resolve(projectDir, f));
    const dir = raw.project_directory !== undefined ? path.resolve(projectDir, String(raw.project_directory)) : path.dirname(files[0]);
    const given = list(raw.env_file).map((f) => path.resolve(projectDir, f));
    return { files, projectDir: dir, envFiles: given.length ? given : [path.join(dir, '.env')].filter((f) => fs.existsSync(f)) };
  });
}

/** Variables an included project sees: its env files' under the including project's (which win). */
export function includedVariables(envFiles: string[], outer: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of envFiles) {
    if (!fs.existsSync(file)) throw new ComposeError(`env file ${file} not found`);
    for (const [k, v] of readEnvFile(file, (name) => outer.get(name) ?? out.get(name))) out.set(k, v);
  }
  for (const [k, v] of outer) out.set(k, v);
  return out;
}

/** Host paths of top-level secrets and configs made absolute against the file's own directory. */
export function absoluteFileSources(model: Raw, projectDir: string): Raw {
  const out = { ...model };
  for (const kind of ['secrets', 'configs']) {
    if (!isObject(model[kind])) continue;
    out[kind] = Object.fromEntries(Object.entries(model[kind]).map(([k, def]) => [
      k, isObject(def) && typeof def.file === 'string' ? { ...def, file: path.resolve(projectDir, def.file) } : def,
    ]));
  }
  return out;
}

const KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

/** The included model's resources added to the including one; the same name on both sides is an error. */
export function addIncluded(into: Raw, included: Raw, file: string): Raw {
  const out = { ...into };
  for (const kind of KINDS) {
    const theirs = isObject(included[kind]) ? included[kind] : {};
    const ours = isObject(into[kind]) ? into[kind] : {};
    for (const name of Object.keys(theirs)) {
      if (name in ours && JSON.stringify(ours[name]) !== JSON.stringify(theirs[name])) {
        throw new ComposeError(`${kind}.${name} conflicts with imported resource`, { file });
      }
    }
    if (Object.keys(theirs).length) out[kind] = { ...theirs, ...ours };
  }
  return out;
}
