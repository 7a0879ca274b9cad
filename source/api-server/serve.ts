// `strata system service`: serves the Docker Engine API on a Unix socket (mode 0660), or on the
// socket systemd hands over (LISTEN_FDS), and on a loopback TCP port only when asked. The
// service is a front end of the in-process engine: containers never depend on it.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { EngineApi } from '../engine/api.js';
import { createApiServer, type ApiServer } from './server.js';

export interface ServiceOptions {
  socket: string; // default /run/strata/docker.sock
  timeoutSeconds: number; // idle seconds before exiting; 0: never
  tcp?: string; // 127.0.0.1:PORT
  group?: string; // the socket's group (name or gid)
  signal?: AbortSignal; // stops the service
  ready?: (where: string[]) => void;
  log?: (line: string) => void;
}

export const DEFAULT_SOCKET = '/run/strata/docker.sock';

export async function runService(engine: EngineApi, opts: ServiceOptions): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const tcp = opts.tcp === undefined ? undefined : parseLoopback(opts.tcp);
  const api = createApiServer(engine, log);
  const where: string[] = [];
  const activated = systemdSocket();
  if (activated !== undefined) {
    await listen(api, { fd: activated });
    where.push(`fd ${activated} (systemd)`);
  } else {
    await prepareSocketPath(opts.socket);
    await listen(api, { path: opts.socket });
    fs.chmodSync(opts.socket, 0o660);
    if (opts.group !== undefined) fs.chownSync(opts.socket, process.getuid?.() ?? 0, groupId(opts.group));
    where.push(`unix://${opts.socket}`);
  }
  const extra: net.Server[] = [];
  if (tcp) {
    const tcpServer = net.createServer((socket) => api.http.emit('connection', socket));
    await new Promise<void>((resolve, reject) => {
      tcpServer.once('error', reject);
      tcpServer.listen(tcp.port, tcp.host, () => resolve());
    });
    extra.push(tcpServer);
    log(`WARNING: the API is also served without TLS on tcp://${tcp.host}:${tcp.port}: every local user can reach it`);
    where.push(`tcp://${tcp.host}:${(tcpServer.address() as net.AddressInfo).port}`);
  }
  opts.ready?.(where);

  await new Promise<void>((resolve) => {
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (opts.timeoutSeconds <= 0) return;
      clearTimeout(idle);
      idle = setTimeout(() => { if (api.connections() === 0) resolve(); }, opts.timeoutSeconds * 1000);
    };
    api.onIdle(armIdle);
    api.http.on('connection', () => clearTimeout(idle));
    armIdle();
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
    if (opts.signal?.aborted) resolve();
  });
  for (const s of extra) s.close();
  await closeServer(api);
  if (activated === undefined) fs.rmSync(opts.socket, { force: true });
}

function listen(api: ApiServer, where: { path: string } | { fd: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    api.http.once('error', reject);
    const done = () => { api.http.off('error', reject); resolve(); };
    if ('fd' in where) api.http.listen({ fd: where.fd }, done);
    else api.http.listen(where.path, done);
  });
}

async function closeServer(api: ApiServer): Promise<void> {
  const closed = new Promise<void>((resolve) => api.http.close(() => resolve()));
  api.http.closeAllConnections();
  api.destroyConnections();
  await closed;
}

// A socket file left by a service that died is replaced; one that answers is someone's.
async function prepareSocketPath(socket: string): Promise<void> {
  fs.mkdirSync(path.dirname(socket), { recursive: true, mode: 0o755 });
  if (!fs.existsSync(socket)) return;
  if (!fs.lstatSync(socket).isSocket()) throw new Error(`${socket} exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socket);
    probe.once('connect', () => { probe.destroy(); resolve(true); });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`${socket} is in use: another service is listening on it`);
  fs.rmSync(socket);
}

/** "127.0.0.1:2375" → host and port; anything but a loopback address is refused (no TLS here). */
export function parseLoopback(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  if (!m) throw new Error(`invalid --tcp address "${address}": expected HOST:PORT, such as 127.0.0.1:2375`);
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid --tcp port ${m[3]}`);
  const loopback = host === 'localhost' || host === '::1' || (net.isIPv4(host) && host.startsWith('127.'));
  if (!loopback) throw new Error(`refusing to serve the API on ${host}: only a loopback address (127.0.0.1, ::1) is allowed without TLS client certificates`);
  return { host, port };
}

function systemdSocket(): number | undefined {
  if (process.env.LISTEN_PID !== String(process.pid) || !process.env.LISTEN_FDS) return undefined;
  return Number(process.env.LISTEN_FDS) >= 1 ? 3 : undefined;
}

function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[0] === group);
  if (!line) throw new Error(`unknown group "${group}"`);
  return Number(line.split(':')[2]);
}
