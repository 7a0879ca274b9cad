// `strata system service` as a user starts it (the built CLI): the socket's mode, the refusal of
// a non-loopback --tcp, a loopback --tcp that answers, and --timeout's exit when idle.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../engine/registry/registry-server.js';
import { releaseNetworksUnder } from '../support/test-engine.js';
import { until } from '../support/until.js';
import { request } from './service.js';

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
