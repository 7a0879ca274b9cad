// A real registry for the tests: Debian's docker-registry (distribution 2.8) on 127.0.0.1, a
// free port, its own storage dir and generated config; stopped by its pid and removed.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RegistryServer {
  host: string; // 127.0.0.1:PORT
  storage: string; // the registry's storage root
  dir: string;
  stop(): Promise<void>;
}

export interface RegistryAuth {
  htpasswd?: Array<[string, string]>; // users for basic auth
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startRegistry(auth: RegistryAuth = {}): Promise<RegistryServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-registry-'));
  const storage = path.join(dir, 'storage');
  fs.mkdirSync(storage);
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${Math.random().toString(36).slice(2)}`,
  ];
  if (auth.htpasswd) {
    const file = path.join(dir, 'htpasswd');
    for (const [i, [user, password]] of auth.htpasswd.entries()) {
      execFileSync('htpasswd', [i === 0 ? '-Bbc' : '-Bb', file, user, password], { stdio: 'ignore' });
    }
    lines.push('auth:', '  htpasswd:', '    realm: strata-test', `    path: ${file}`);
  }
  if (auth.token) {
    lines.push('auth:', '  token:', `    realm: ${auth.token.realm}`, `    service: ${auth.token.service}`, `    issuer: ${auth.token.issuer}`, `    rootcertbundle: ${auth.token.rootCertBundle}`);
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid!, 'SIGTERM');
      await Promise.race([exited, sleep(3000).then(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'))]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return { host, storage, dir, stop };
    } catch { /* not listening yet */ }
    await sleep(25);
  }
  await stop();
  throw new Error(`docker-registry did not start: ${stderr.trim()}`);
}

/** The registry's stored file for a blob, for the tests that damage it. */
export function blobDataPath(server: RegistryServer, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return path.join(server.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}
