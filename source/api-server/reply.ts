// One request's answer, whether it came as a plain HTTP request (a ServerResponse) or as an
// upgrade request whose socket is ours (attach, exec start): JSON, an empty status, a stream,
// or the hijacked connection docker's clients expect (`Upgrade: tcp` answered with 101).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Writable } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { badRequest } from './errors.js';

// one for the service: it only completes handshakes on connections the http server hands over
const webSockets = new WebSocketServer({ noServer: true });

export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

export class Reply {
  private started = false;

  constructor(
    readonly req: IncomingMessage,
    private readonly res?: ServerResponse,
    private readonly socket?: Duplex,
  ) {}

  get sent(): boolean {
    return this.started;
  }

  json(status: number, value: unknown, headers: Record<string, string> = {}): void {
    this.whole(status, JSON.stringify(value) + '\n', { 'Content-Type': 'application/json', ...headers });
  }

  empty(status: number, headers: Record<string, string> = {}): void {
    this.whole(status, '', headers);
  }

  text(status: number, body: string, headers: Record<string, string> = {}): void {
    this.whole(status, body, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  }

  private whole(status: number, body: string, headers: Record<string, string>): void {
    this.started = true;
    const length = String(Buffer.byteLength(body));
    if (this.res) {
      this.res.writeHead(status, { ...commonHeaders(), ...headers, 'Content-Length': length });
      this.res.end(this.req.method === 'HEAD' ? undefined : body);
    } else if (this.socket && !this.socket.destroyed) {
      this.socket.end(rawHead(status, { ...headers, 'Content-Length': length, Connection: 'close' }) + body);
    }
  }

  /** A body written as it comes (logs, events, pull progress); end it with .end(). */
  stream(status: number, contentType: string, headers: Record<string, string> = {}): Writable {
    this.started = true;
    if (this.res) {
      this.res.writeHead(status, { ...commonHeaders(), 'Content-Type': contentType, ...headers });
      this.res.flushHeaders();
      return this.res;
    }
    this.socket!.write(rawHead(status, { 'Content-Type': contentType, ...headers, Connection: 'close' }));
    return this.socket!;
  }

  /**
   * The connection as a two-way byte stream. An upgrade request gets docker's 101; a plain one
   * (old clients) gets 200 and keeps its connection: what it sends after the headers is stdin.
   */
  hijack(contentType: string): Duplex {
    this.started = true;
    if (this.socket) {
      this.socket.write(rawHead(101, { 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' }, 'UPGRADED'));
      return this.socket;
    }
    const socket = this.req.socket;
    this.res!.detachSocket(socket);
    socket.write(rawHead(200, { ...commonHeaders(), 'Content-Type': contentType, Connection: 'close' }));
    return socket;
  }

  /**
   * The connection as a websocket (an upgrade request with `Upgrade: websocket`), read and
   * written as a byte stream: each write one binary message, each message the client sends read.
   */
  webSocket(): Promise<Duplex> {
    if (!this.socket || this.req.headers.upgrade?.toLowerCase() !== 'websocket') throw badRequest('this endpoint needs a websocket upgrade (Connection: Upgrade, Upgrade: websocket)');
    this.started = true;
    return new Promise((resolve) => {
      webSockets.handleUpgrade(this.req, this.socket as import('node:net').Socket, Buffer.alloc(0), (ws) => {
        const stream = createWebSocketStream(ws);
        stream.on('error', () => stream.destroy());
        resolve(stream);
      });
    });
  }

  /** The client went away: stop whatever is feeding it. */
  onClose(listener: () => void): void {
    const target = this.socket ?? this.res!;
    target.once('close', listener);
  }
}

export function commonHeaders(): Record<string, string> {
  return { 'Api-Version': MAX_API_VERSION, 'Docker-Experimental': 'false', Ostype: 'linux', Server: `strata (linux)` };
}

export const MIN_API_VERSION = '1.41';
export const MAX_API_VERSION = '1.51';

function rawHead(status: number, headers: Record<string, string>, reason = STATUS_CODES[status] ?? ''): string {
  const all = status === 101 ? headers : { ...commonHeaders(), ...headers };
  return `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}
