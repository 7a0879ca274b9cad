// The merged file checked against the published Compose Specification schema (compose-spec.json,
// vendored from github.com/compose-spec/compose-spec, Apache-2.0) with ajv: one error, at the
// key it concerns, worded as docker compose words it.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schema from './compose-spec.json' with { type: 'json' };

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  // The file names draft-07 by an https URL ajv does not know; draft-07 is ajv's own default.
  const { $schema: _draft, ...body } = schema as Record<string, unknown>;
  validator ??= new Ajv({ strict: false, allErrors: false, allowUnionTypes: true }).compile(body);
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
