// One registry, one set of repository scopes: requests against the distribution API with
// authentication handled on a 401 (see auth.ts) and registry errors turned into one line.
import type { Readable } from 'node:stream';
import { EngineError } from '../errors.js';
import { basicHeader, fetchToken, parseChallenge, unauthorized, type Challenge } from './auth.js';
import type { Credentials } from './credentials.js';
import { endpointFor, type Endpoint } from './endpoint.js';
import { discard, httpRequest, readBody, type HttpResponse, type HttpTimeouts } from './http.js';

export interface ClientSettings {
  insecure: readonly string[];
  timeouts: HttpTimeouts;
}

export interface ClientRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  contentLength?: number;
  scopes?: string[]; // token scopes this request needs; the client's own by default
  signal?: AbortSignal;
}

export class RegistryClient {
  readonly endpoint: Endpoint;
  private challenge?: Challenge;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(readonly domain: string, private readonly creds: Credentials | undefined, private readonly settings: ClientSettings, private readonly scopes: string[] = []) {
    this.endpoint = endpointFor(domain, settings.insecure);
  }

  url(pathOrUrl: string): URL {
    return new URL(pathOrUrl, this.endpoint.base);
  }

  /** Sends the request; on a 401 answers the challenge once and sends it again (bodies that are streams cannot be resent). */
  async request(pathOrUrl: string, req: ClientRequest = {}): Promise<HttpResponse> {
    const url = this.url(pathOrUrl);
    const scopes = req.scopes ?? this.scopes;
    let sentAuth = false;
    const send = async () => {
      const auth = await this.authorization(scopes);
      sentAuth = auth.Authorization !== undefined;
      return httpRequest(url, { ...req, timeouts: this.settings.timeouts, headers: { ...(req.headers ?? {}), ...auth } });
    };
    let res = await send();
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers['www-authenticate'] as string | undefined);
    discard(res);
    const canResend = req.body === undefined || Buffer.isBuffer(req.body);
    // sent with what the same challenge asked for and still refused: the credentials are wrong
    if (!challenge || !canResend || (sentAuth && this.challenge && sameChallenge(this.challenge, challenge) && challenge.params.error !== 'insufficient_scope')) throw this.refused(scopes);
    this.challenge = challenge;
    if (sentAuth) this.tokens.delete(scopeKey(scopes));
    res = await send();
    if (res.status === 401) {
      discard(res);
      throw this.refused(scopes);
    }
    return res;
  }

  // With a token the token service granted for these credentials, a refusal is about access, not the password.
  private refused(scopes: string[]): EngineError {
    if (this.challenge?.scheme === 'bearer' && this.creds) return new EngineError(`denied: ${this.domain} refused ${scopes.join(' ')} to ${this.creds.username}`, 'invalid');
    return unauthorized(this.domain, this.creds);
  }

  /** Makes sure the client holds what the registry wants for these scopes (GET /v2/ first, like docker). */
  async ping(): Promise<void> {
    const res = await httpRequest(this.url('/v2/'), { timeouts: this.settings.timeouts });
    discard(res);
    if (res.status === 401) this.challenge = parseChallenge(res.headers['www-authenticate'] as string | undefined);
    else if (res.status !== 200) throw new EngineError(`${this.domain} does not look like a registry: GET /v2/ answered ${res.status}`, 'internal');
  }

  /** For `login`: proves the credentials work (basic on /v2/, or a token from the token service). */
  async verifyLogin(): Promise<void> {
    await this.ping();
    if (!this.challenge) return; // the registry wants no authentication
    const headers = await this.authorization([]);
    const res = await httpRequest(this.url('/v2/'), { headers, timeouts: this.settings.timeouts });
    discard(res);
    if (res.status === 401) throw unauthorized(this.domain, this.creds);
    if (res.status !== 200) throw new EngineError(`login to ${this.domain} failed: GET /v2/ answered ${res.status}`, 'internal');
  }

  private async authorization(scopes: string[]): Promise<Record<string, string>> {
    const challenge = this.challenge;
    if (!challenge) return {};
    if (challenge.scheme === 'basic') {
      if (!this.creds) throw unauthorized(this.domain, undefined);
      return { Authorization: basicHeader(this.creds) };
    }
    const key = scopeKey(scopes);
    let token = this.tokens.get(key);
    if (!token) {
      token = fetchToken(challenge, scopes, this.creds, this.domain, this.settings);
      this.tokens.set(key, token);
      token.catch(() => this.tokens.delete(key));
    }
    return { Authorization: `Bearer ${await token}` };
  }
}

function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}

function sameChallenge(a: Challenge, b: Challenge): boolean {
  return a.scheme === b.scheme && a.params.realm === b.params.realm && a.params.service === b.params.service;
}

/** The registry's error body as one line: "manifest unknown: manifest unknown", or the status. */
export async function registryError(res: HttpResponse, what: string): Promise<EngineError> {
  let detail = `HTTP ${res.status}`;
  try {
    const body = (await readBody(res, 1 << 16)).toString('utf8');
    const errors = (JSON.parse(body) as { errors?: Array<{ code?: string; message?: string }> }).errors;
    if (Array.isArray(errors) && errors.length > 0) detail = errors.map((e) => [e.code?.toLowerCase().replace(/_/g, ' '), e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    /* not a registry error body: the status says it */
  }
  const code = res.status === 404 ? 'not-found' : res.status === 401 || res.status === 403 ? 'invalid' : 'internal';
  return new EngineError(`${what}: ${detail}`, code);
}

export function repositoryScope(repository: string, actions: string): string {
  return `repository:${repository}:${actions}`;
}
