// What an endpoint handler gets: the request's parts, its reply, the engine and the service's
// connection state (attachments waiting for a start, exec sessions).
import type { IncomingMessage } from 'node:http';
import type { EngineApi } from '../engine/api.js';
import { badRequest } from './errors.js';
import { jsonSyntaxError } from './json-syntax.js';
import type { Reply } from './reply.js';
import type { ServiceState } from './state.js';

export interface Call {
  method: string;
  path: string; // without the /vX.Y prefix
  version: string; // the API version the client asked for (the newest without a prefix)
  params: Record<string, string>;
  query: URLSearchParams;
  req: IncomingMessage;
  reply: Reply;
  engine: EngineApi;
  state: ServiceState;
  body: AsyncIterable<Buffer>; // the request's body (on an upgraded connection, only its Content-Length bytes)
}

export type Handler = (call: Call) => unknown;

const MAX_JSON_BODY = 16 * 1024 * 1024;

/** The request's JSON body ({} when empty); a malformed one is the client's error (400). */
export async function jsonBody<T = Record<string, unknown>>(call: Call): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of call.body) {
    size += chunk.length;
    if (size > MAX_JSON_BODY) throw badRequest('request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {} as T;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const error = jsonSyntaxError(text);
    throw badRequest(error === 'unexpected content after JSON' ? error : `invalid JSON: ${error}`);
  }
  // Go decodes null into a request as nothing at all; any other non-object is a type mismatch
  if (value === null) return {} as T;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`invalid JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type object`);
  return value as T;
}

/** docker's booleans in a query: 1/true/True; 0/false/'' are false. */
export function flag(call: Call, name: string, fallback = false): boolean {
  const v = call.query.get(name);
  if (v === null) return fallback;
  return v === '1' || v.toLowerCase() === 'true';
}

export function int(call: Call, name: string): number | undefined {
  const v = call.query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

/** docker's `filters` query: JSON of name → [values] (or the old name → {value: true}). */
export function filters(call: Call): Record<string, string[]> {
  const raw = call.query.get('filters');
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest(`invalid filter: ${raw}`);
  }
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? v.map(String) : Object.keys(v as object).filter((key) => (v as Record<string, unknown>)[key]);
  }
  return out;
}

/** docker's `since`/`until` query values: unix seconds (with fractions) or RFC 3339; since=0 is the beginning, until=0 none. */
export function timeParam(call: Call, name: string): Date | undefined {
  const v = call.query.get(name);
  if (!v) return undefined;
  if (v === '0') return name === 'since' ? new Date(0) : undefined; // since the beginning; no until
  if (/^\d+(\.\d+)?$/.test(v)) return new Date(Number(v) * 1000);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest(`invalid value for ${name}: ${v}`);
  return d;
}
