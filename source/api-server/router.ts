// The endpoint table: find-my-way matches a method and a path (after the /vX.Y prefix is taken
// off and checked against the versions served) to a handler; each routes/*.ts adds its group.
import FindMyWay from 'find-my-way';
import type { Handler } from './call.js';
import { badRequest } from './errors.js';
import { MAX_API_VERSION, MIN_API_VERSION } from './reply.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export class Routes {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 1000 });

  on(method: Method | Method[], path: string, handler: Handler): void {
    this.router.on(method, path, () => undefined, handler);
  }

  find(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    const found = this.router.find(method as Method, path);
    if (!found) return undefined;
    return { handler: found.store as Handler, params: found.params as Record<string, string> };
  }
}

/** "/v1.47/containers/json" → version 1.47 and the unversioned path; a version out of range is refused. */
export function splitVersion(pathname: string): { version: string; path: string } {
  const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(pathname);
  if (!m) return { version: MAX_API_VERSION, path: pathname };
  const version = m[1];
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    throw badRequest(`client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
  if (compareVersions(version, MAX_API_VERSION) > 0) {
    throw badRequest(`client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`);
  }
  return { version, path: m[2] };
}

export function compareVersions(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}
