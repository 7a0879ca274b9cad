// The merged file checked against the published Compose Specification schema (compose-spec.json,
// vendored from github.com/compose-spec/compose-spec, Apache-2.0) with ajv: one error, at the
// key it concerns, worded as docker compose words it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import schema from './compose-spec.json' with { type: 'json' };

let validator: ValidateFunction | undefined;
const OPTIONS = { strict: false, allErrors: false, allowUnionTypes: true } as const;
const require = createRequire(import.meta.url);

// Compiling the schema costs ~400 ms, most of a no-change `compose up`: the compiled validator's
// code is kept in the user's cache, keyed by the schema and ajv's version, and loaded from there.
function cacheFile(): string {
  const key = crypto.createHash('sha256').update(JSON.stringify(schema)).update(String((require('ajv/package.json') as { version: string }).version)).digest('hex').slice(0, 16);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'strata', `compose-spec-${key}.cjs`);
}

function load(code: string): ValidateFunction {
  const module = { exports: {} as { default?: ValidateFunction } };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return (module.exports.default ?? module.exports) as ValidateFunction;
}

function compiled(): ValidateFunction {
  if (validator) return validator;
  const file = cacheFile();
  try {
    return (validator = load(fs.readFileSync(file, 'utf8')));
  } catch {
    // not cached yet (or unreadable): compiled here, and kept when the cache can be written
  }
  // The file names draft-07 by an https URL ajv does not know; draft-07 is ajv's own default.
  const { $schema: _draft, ...body } = schema as Record<string, unknown>;
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  validator = ajv.compile(body);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, (standaloneCode as unknown as (a: Ajv, v: ValidateFunction) => string)(ajv, validator));
    fs.renameSync(tmp, file);
  } catch {
    // a read-only home: compiled at each use
  }
  return validator;
}

export interface SchemaProblem {
  path: string[]; // keys from the top, as in the file
  message: string;
  lineAt: string[]; // where the line to name is: the offending key itself when there is one
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `additional property ${String(params.additionalProperty)} is not allowed`;
  if (error.keyword === 'type') return `must be a ${String(params.type).replace(',', ' or a ')}`;
  if (error.keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'required') return `missing property ${String(params.missingProperty)}`;
  return error.message ?? 'is invalid';
}

export function schemaProblem(model: unknown): SchemaProblem | undefined {
  const validate = compiled();
  if (validate(model)) return undefined;
  // The deepest error names the key that is wrong, not the oneOf above it.
  const errors = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  const error = errors[0];
  const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = error.keyword === 'additionalProperties' ? String((error.params as Record<string, unknown>).additionalProperty) : undefined;
  return { path, message: describe(error), lineAt: extra ? [...path, extra] : path };
}
