// The HTTP side of the service: Node's http server on a Unix socket (and, if asked, a loopback
// TCP port); plain requests and upgrade requests (attach, exec start) go through one dispatch.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EngineApi } from '../engine/api.js';
import type { Call } from './call.js';
import { ApiError, statusOf } from './errors.js';
import { Reply } from './reply.js';
import { Routes, splitVersion } from './router.js';
import { ServiceState } from './state.js';
import { registerSystem } from './routes/system.js';
import { registerContainers } from './routes/containers.js';
import { registerExec } from './routes/exec.js';
import { registerImages } from './routes/images.js';
import { registerNetworks } from './routes/networks.js';
import { registerVolumes } from './routes/volumes.js';
import { registerEvents } from './routes/events.js';
import { registerBuild } from './routes/build.js';
import { registerArchive } from './routes/archive.js';

export interface ApiServer {
  http: http.Server;
  state: ServiceState;
  // connections open now (idle-timeout bookkeeping and tests that count leaks)
  connections(): number;
  onIdle(listener: () => void): void;
  destroyConnections(): void; // hijacked ones too, which the http server no longer tracks
}

export function createApiServer(engine: EngineApi, log: (line: string) => void = () => undefined): ApiServer {
  const routes = new Routes();
  for (const register of [registerSystem, registerContainers, registerExec, registerImages, registerNetworks, registerVolumes, registerEvents, registerBuild, registerArchive]) register(routes);
  const state = new ServiceState();
  const sockets = new Set<Duplex>();
  const idleListeners: Array<() => void> = [];

  const dispatch = async (req: IncomingMessage, reply: Reply, body: AsyncIterable<Buffer> = req) => {
    try {
      const url = new URL(req.url ?? '/', 'http://strata');
      const { version, path } = splitVersion(url.pathname);
      const found = routes.find(req.method ?? 'GET', path);
      if (!found) throw new ApiError(404, 'page not found');
      const call: Call = { method: req.method ?? 'GET', path, version, params: found.params, query: url.searchParams, req, reply, engine, state, body };
      const result = await found.handler(call);
      if (!reply.sent) {
        if (result === undefined) reply.empty(204);
        else reply.json(200, result);
      }
    } catch (err) {
      const { status, message } = statusOf(err);
      if (status >= 500) log(`${req.method} ${req.url}: ${message}`);
      if (!reply.sent) reply.json(status, { message });
      else req.socket.destroy(); // mid-stream: the client sees the stream end early
    }
  };

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    void dispatch(req, new Reply(req, res));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void upgradeBody(socket, head, Number(req.headers['content-length'] ?? 0)).then(
      (body) => dispatch(req, new Reply(req, undefined, socket), (async function* () { yield body; })()),
      () => socket.destroy(),
    );
  });
  server.on('connection', (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const l of idleListeners) l();
    });
  });
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return {
    http: server,
    state,
    connections: () => sockets.size,
    onIdle: (l) => void idleListeners.push(l),
    destroyConnections: () => { for (const s of sockets) s.destroy(); },
  };
}

// An upgrade request's body is not parsed by node: it is the first Content-Length bytes after the
// headers (in `head`, then on the socket); what follows is the client's stdin.
async function upgradeBody(socket: Duplex, head: Buffer, length: number): Promise<Buffer> {
  let have = head;
  while (have.length < length) {
    const chunk = await new Promise<Buffer>((resolve, reject) => {
      const onData = (data: Buffer) => { cleanup(); resolve(data); };
      const onEnd = () => { cleanup(); reject(new Error('connection closed in the request body')); };
      const cleanup = () => { socket.off('data', onData); socket.off('end', onEnd); socket.off('close', onEnd); socket.pause(); };
      socket.on('data', onData);
      socket.once('end', onEnd);
      socket.once('close', onEnd);
      socket.resume();
    });
    have = Buffer.concat([have, chunk]);
  }
  if (have.length > length) socket.unshift(have.subarray(length));
  return have.subarray(0, length);
}
