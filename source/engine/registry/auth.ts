// Registry authentication as the distribution spec describes it: a 401 carries a
// WWW-Authenticate challenge; "Basic" wants the credentials on every request, "Bearer" sends us
// to a token endpoint (realm, service, scopes such as repository:team/app:pull,push) whose
// token goes on the requests. Tokens are cached per scope set for the life of the client.
// Credentials go to a token service over plain HTTP only on the registry's own host, or on one
// the config file names insecure: anything on the path could read them.
import { EngineError } from '../errors.js';
import type { Credentials } from './credentials.js';
import { hostOnly } from './endpoint.js';
import { discard, httpRequest, readBody, type HttpTimeouts } from './http.js';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** The first Basic or Bearer challenge in a WWW-Authenticate header. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(Basic|Bearer)\b(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const pair = /([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = pair.exec(m[2]); p; p = pair.exec(m[2])) params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1].toLowerCase() as 'basic' | 'bearer', params };
}

export function basicHeader(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

/** Asks the token endpoint of a Bearer challenge for a token covering the scopes. */
export async function fetchToken(challenge: Challenge, scopes: readonly string[], creds: Credentials | undefined, registry: string, settings: { insecure: readonly string[]; timeouts: HttpTimeouts }): Promise<string> {
  const realm = challenge.params.realm;
  if (!realm) throw new EngineError(`${registry}: the registry asked for a bearer token but named no token service (realm)`, 'internal');
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new EngineError(`${registry}: invalid token realm ${JSON.stringify(realm)}`, 'internal');
  }
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  if (creds && creds.username !== '<token>') url.searchParams.set('account', creds.username);
  if (creds && url.protocol === 'http:' && !plainHttpAllowed(url, registry, settings.insecure)) {
    throw new EngineError(`${registry}: refusing to send credentials over plain HTTP to the token service ${url.origin}, another host than the registry's (name ${url.host} in insecureRegistries in the config file to allow it)`, 'invalid');
  }
  const headers: Record<string, string> = {};
  if (creds) headers.Authorization = basicHeader(creds);
  const res = await httpRequest(url, { headers, timeouts: settings.timeouts });
  if (res.status === 401 || res.status === 403) {
    discard(res);
    throw unauthorized(registry, creds);
  }
  const body = await readBody(res, 1 << 20);
  if (res.status !== 200) throw new EngineError(`${registry}: token service ${url.origin}${url.pathname} answered ${res.status}: ${body.toString('utf8').slice(0, 200).trim()}`, 'internal');
  let token: unknown;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown };
    token = parsed.token ?? parsed.access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') throw new EngineError(`${registry}: the token service gave no token`, 'internal');
  return token;
}

function plainHttpAllowed(realm: URL, registry: string, insecure: readonly string[]): boolean {
  const host = realm.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === hostOnly(registry).toLowerCase() || insecure.some((entry) => entry === realm.host || entry === host);
}

export function unauthorized(registry: string, creds: Credentials | undefined): EngineError {
  return new EngineError(creds
    ? `unauthorized: incorrect username or password for ${registry}`
    : `unauthorized: authentication required by ${registry} (run \`strata login ${registry}\`)`, 'invalid');
}
