// `strata system service` as a user starts it (the built CLI): the socket's mode, the refusal of
// a non-loopback --tcp, a loopback --tcp that answers, --timeout's exit when idle, and a
// streaming `docker stats` that neither keeps anything open when its client hangs up nor holds
// the service up at SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../engine/registry/registry-server.js';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { releaseNetworksUnder } from '../support/test-engine.js';
import { settledCount, until } from '../support/until.js';
import { docker, request } from './service.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/strata.js');
const skip = !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;

describe('strata system service from the CLI', { skip }, () => {
  let work = '';
  const args = (...rest: string[]) => [cli, '--root', path.join(work, 'root'), '--runtime-dir', path.join(work, 'run'), 'system', 'service', ...rest];
  before(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-api-cli-')); });
  after(async () => {
    await releaseNetworksUnder(work);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses a --tcp address that is not loopback, in one line, exit 125', () => {
    const r = spawnSync(process.execPath, args('--socket', path.join(work, 'x.sock'), '--tcp', '0.0.0.0:2375'), { timeout: 30_000 });
    assert.equal(r.status, 125);
    assert.equal(r.stderr.toString(), 'strata: refusing to serve the API on 0.0.0.0: only a loopback address (127.0.0.1, ::1) is allowed without TLS client certificates\n');
    assert.equal(fs.existsSync(path.join(work, 'x.sock')), false);
  });

  it('docker stats: a client that hangs up leaves nothing open; SIGTERM ends the service and the stream', async () => {
    const socket = path.join(work, 'stats.sock');
    const child = spawn(process.execPath, args('--socket', socket), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const fds = () => fs.readdirSync(`/proc/${child.pid}/fd`).length;
    const streamStats = () => {
      const client = spawn('docker', ['stats'], { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(work, 'docker-config') }, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      client.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      const ended = new Promise<void>((resolve) => client.once('exit', () => resolve()));
      return { client, ended, shown: () => out.includes('stats-me') };
    };
    try {
      await until('the service to listen', 30_000, async () => (stderr.includes('serving the Docker API') ? true : undefined));
      const tar = path.join(work, 'busybox.tar');
      await new Promise<void>((resolve, reject) => busyboxRootfsTar().pipe(fs.createWriteStream(tar)).on('finish', () => resolve()).on('error', reject));
      assert.equal((await docker(socket, ['import', tar, 'stats/busybox'])).code, 0);
      const run = await docker(socket, ['run', '-d', '--name', 'stats-me', 'stats/busybox', 'sleep', '600']);
      assert.equal(run.code, 0, run.stderr);
      // a client that hangs up mid-stream; the first one also warms what the engine keeps once
      // for its life (the event journal's watch), so the count is taken after it
      const hangUp = async () => {
        const stats = streamStats();
        await until('docker stats to show the container', 60_000, async () => (stats.shown() ? true : undefined));
        stats.client.kill('SIGKILL');
        await stats.ended;
      };
      await hangUp();
      const settled = await settledCount(fds);
      for (let i = 0; i < 3; i++) await hangUp();
      await until('the service\'s descriptors back to where they were', 120_000, async () => (fds() <= settled ? true : undefined));
      const last = streamStats();
      await until('docker stats to show the container again', 60_000, async () => (last.shown() ? true : undefined));
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      await last.ended; // its stream ended with the service
    } finally {
      if (child.exitCode === null) child.kill();
      spawnSync(process.execPath, [cli, '--root', path.join(work, 'root'), '--runtime-dir', path.join(work, 'run'), 'rm', '-f', 'stats-me'], { timeout: 60_000 });
    }
  });

  it('serves a 0660 socket and a loopback port, and exits after --timeout idle seconds', async () => {
    const socket = path.join(work, 'api.sock');
    const port = await freePort();
    const child = spawn(process.execPath, args('--socket', socket, '--tcp', `127.0.0.1:${port}`, '--timeout', '2'), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until('the service to listen', 30_000, async () => (stderr.includes('serving the Docker API') ? true : undefined));
      assert.match(stderr, /WARNING: the API is also served without TLS on tcp:\/\/127\.0\.0\.1:\d+/);
      assert.equal(fs.statSync(socket).mode & 0o777, 0o660);
      assert.equal((await request(socket, 'GET', '/_ping')).text, 'OK');
      const viaTcp = await new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/v1.50/version', agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
      });
      assert.equal(viaTcp, 200);
      assert.equal(await exited, 0, stderr);
      assert.equal(fs.existsSync(socket), false, 'the socket goes with the service');
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
