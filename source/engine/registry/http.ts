// HTTP for the registry client: keep-alive agents (a pull makes many requests to one host),
// redirects followed (blob storage often lives elsewhere; credentials are not sent along),
// timeouts on connecting and on silence (a registry that stalls must not hang a pull), and
// failures of the connection itself turned into one-line EngineErrors.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { EngineError } from '../errors.js';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/** How long a connection may take to open, and how long a server may go without sending a byte. */
export interface HttpTimeouts {
  connectMs: number;
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 30_000, idleMs: 30_000 };

export interface HttpRequest {
  method?: string;
  timeouts?: HttpTimeouts;
  signal?: AbortSignal; // destroys the request, or the response body once it is there
  peer?: string; // who is silent when the idle timeout fires: "the registry" unless told
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
    const res = await once(current, req.method ?? 'GET', headers, req);
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

function once(url: URL, method: string, headers: Record<string, string>, req: HttpRequest): Promise<http.IncomingMessage> {
  const { body, contentLength, signal } = req;
  const timeouts = req.timeouts ?? DEFAULT_TIMEOUTS;
  const transport = url.protocol === 'https:' ? https : http;
  const agent = agents[url.protocol as 'http:' | 'https:'];
  if (!agent) throw new EngineError(`unsupported URL scheme ${url.protocol} (${url.href})`, 'invalid');
  const sendHeaders: Record<string, string> = { 'User-Agent': 'strata/0.1', ...headers };
  if (Buffer.isBuffer(body)) sendHeaders['Content-Length'] = String(body.length);
  else if (body !== undefined && contentLength !== undefined) sendHeaders['Content-Length'] = String(contentLength);
  else if (body === undefined && (method === 'PUT' || method === 'POST' || method === 'PATCH')) sendHeaders['Content-Length'] = '0';
  if (signal?.aborted) return Promise.reject(new EngineError('cancelled', 'internal'));
  return new Promise((resolve, reject) => {
    let response: http.IncomingMessage | undefined;
    // a stall or a cancel ends the body too, with the reason, wherever it is being read
    const stop = (err: EngineError) => {
      const wrapped = err.message === 'cancelled' ? err : new EngineError(`${verb(method)} "${url.href}": ${err.message}`, err.code);
      response?.destroy(wrapped);
      request.destroy(wrapped);
    };
    const request = transport.request(url, { method, headers: sendHeaders, agent }, (res) => {
      response = res;
      resolve(res);
    });
    request.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(method, url, err)));
    watchTimeouts(request, timeouts, req.peer ?? 'the registry', stop);
    if (signal) {
      const onAbort = () => stop(new EngineError('cancelled', 'internal'));
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => signal.removeEventListener('abort', onAbort));
    }
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else {
      body.on('error', (err) => request.destroy(err));
      body.pipe(request);
    }
  });
}

function watchTimeouts(request: http.ClientRequest, timeouts: HttpTimeouts, peer: string, stop: (err: EngineError) => void): void {
  request.setTimeout(timeouts.idleMs, () => stop(new EngineError(`no data for ${seconds(timeouts.idleMs)} from ${peer}`, 'internal')));
  request.on('socket', (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => stop(new EngineError(`could not connect within ${seconds(timeouts.connectMs)}`, 'internal')), timeouts.connectMs);
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function connectionError(method: string, url: URL, err: NodeJS.ErrnoException): Error {
  if (err instanceof EngineError) return err;
  const what = err.code === 'ECONNREFUSED' ? 'connection refused'
    : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'no such host'
    : err.code === 'ECONNRESET' ? 'connection reset by peer'
    : err.message;
  const hint = url.protocol === 'https:' && /wrong version number|EPROTO/i.test(err.message) ? ' (the server speaks plain HTTP: add it to insecureRegistries in the config file)' : '';
  return new EngineError(`${verb(method)} "${url.href}": ${what}${hint}`, 'internal');
}

function verb(method: string): string {
  return `${method[0]}${method.slice(1).toLowerCase()}`;
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
