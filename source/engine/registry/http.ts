// HTTP for the registry client: keep-alive agents (a pull makes many requests to one host),
// redirects followed (blob storage often lives elsewhere; credentials are not sent along),
// and failures of the connection itself turned into one-line EngineErrors.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { EngineError } from '../errors.js';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  contentLength?: number; // for a streamed body
  followRedirects?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  url: URL; // after redirects
  body: http.IncomingMessage;
}

const MAX_REDIRECTS = 5;

export async function httpRequest(url: URL, req: HttpRequest = {}): Promise<HttpResponse> {
  let current = url;
  let headers = { ...(req.headers ?? {}) };
  for (let hop = 0; ; hop++) {
    const res = await once(current, req.method ?? 'GET', headers, req.body, req.contentLength);
    const location = res.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(res.statusCode ?? 0) && location !== undefined;
    if (!redirect || req.followRedirects === false || hop >= MAX_REDIRECTS || req.body !== undefined) {
      return { status: res.statusCode ?? 0, headers: res.headers, url: current, body: res };
    }
    res.resume();
    const next = new URL(location, current);
    if (next.host !== current.host) {
      const { Authorization: _dropped, ...rest } = headers;
      headers = rest; // a token for the registry is not for its storage backend
    }
    current = next;
  }
}

function once(url: URL, method: string, headers: Record<string, string>, body: Buffer | Readable | undefined, contentLength?: number): Promise<http.IncomingMessage> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = agents[url.protocol as 'http:' | 'https:'];
  if (!agent) throw new EngineError(`unsupported URL scheme ${url.protocol} (${url.href})`, 'invalid');
  const sendHeaders: Record<string, string> = { 'User-Agent': 'strata/0.1', ...headers };
  if (Buffer.isBuffer(body)) sendHeaders['Content-Length'] = String(body.length);
  else if (body !== undefined && contentLength !== undefined) sendHeaders['Content-Length'] = String(contentLength);
  else if (body === undefined && (method === 'PUT' || method === 'POST' || method === 'PATCH')) sendHeaders['Content-Length'] = '0';
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method, headers: sendHeaders, agent }, resolve);
    request.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(method, url, err)));
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else {
      body.on('error', (err) => request.destroy(err));
      body.pipe(request);
    }
  });
}

function connectionError(method: string, url: URL, err: NodeJS.ErrnoException): Error {
  if (err instanceof EngineError) return err;
  const what = err.code === 'ECONNREFUSED' ? 'connection refused'
    : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'no such host'
    : err.code === 'ECONNRESET' ? 'connection reset by peer'
    : err.message;
  const hint = url.protocol === 'https:' && /wrong version number|EPROTO/i.test(err.message) ? ' (the server speaks plain HTTP: add it to insecureRegistries in the config file)' : '';
  return new EngineError(`${method[0]}${method.slice(1).toLowerCase()} "${url.href}": ${what}${hint}`, 'internal');
}

export async function readBody(res: HttpResponse, limit = 8 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.body.destroy();
      throw new EngineError(`response from ${res.url.href} is larger than ${limit} bytes`, 'invalid');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Discards a response body so its connection can be reused. */
export function discard(res: HttpResponse): void {
  res.body.resume();
}
