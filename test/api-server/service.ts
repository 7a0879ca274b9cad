// A Docker API service for tests: strata's engine on its own temp store, served on a temp
// socket in this process; raw HTTP requests over the socket, and the real docker CLI with
// DOCKER_HOST pointing at it.
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { runService } from '../../source/api-server/serve.js';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';

export interface TestService {
  test: TestEngine;
  socket: string;
  stop(): Promise<void>;
}

export async function startService(): Promise<TestService> {
  const test = await makeTestEngine({ credentialsInBase: true }); // /auth saves a login: in the temp dir
  const socket = path.join(test.base, 'docker.sock');
  const abort = new AbortController();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const running = runService(test.engine, { socket, timeoutSeconds: 0, signal: abort.signal, ready: () => ready() });
  await Promise.race([isReady, running]);
  return {
    test,
    socket,
    async stop() {
      abort.abort();
      await running;
      await test.cleanup();
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function request(socket: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const req = http.request({ socketPath: socket, method, path: urlPath, headers: { ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Splits a stdcopy-framed body into [stream, text] frames. */
export function deframe(buf: Buffer): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4);
    out.push([buf[at], buf.subarray(at + 8, at + 8 + size).toString('utf8')]);
    at += 8 + size;
  }
  return out;
}

export interface DockerResult { code: number; stdout: string; stderr: string }

/** The real docker CLI against the service (async: the service runs in this process). */
export function docker(socket: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<DockerResult> {
  return new Promise((resolve) => {
    const child = execFile('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(path.dirname(socket), 'docker-config') }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}
