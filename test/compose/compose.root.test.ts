// strata compose end to end, from the built CLI on a real store: a three-service project
// (a built image, depends_on a healthy service, a named volume, a published port) goes up,
// answers on its port, shows in ps/ls/logs; a second up after one service's environment
// changed recreates that service only; --scale gives three containers found by the service
// name; down -v leaves nothing of the project behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/strata.js');

const COMPOSE = `
name: shop
services:
  web:
    image: ${IMAGE}
    init: true # a PID 1 that ignores SIGTERM (httpd, sleep) would hold every stop for its 10 s
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    ports: ["127.0.0.1::8080"]
    depends_on:
      db:
        condition: service_healthy
    volumes: ["pages:/www:ro"]
  db:
    image: ${IMAGE}
    init: true
    command: sh -c 'echo "hello from $$GREETING" > /data/index.html; echo db ready; exec sleep 1000'
    environment:
      GREETING: \${GREETING:-compose}
    volumes: [pages:/data]
    healthcheck:
      test: ["CMD-SHELL", "test -s /data/index.html"]
      interval: 200ms
  worker:
    build: ./worker
    init: true
    environment: [MODE=one]
    depends_on: [web]
volumes:
  pages: {}
`;

describe('strata compose', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : false }, () => {
  let t: TestEngine;
  let dir: string;
  const compose = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, 'compose', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, GREETING: 'test' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]) => {
    const r = compose(...args);
    assert.equal(r.code, 0, `compose ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const ids = async () => Object.fromEntries((await t.engine.listContainers(true)).map((c) => [c.name, c.id]));

  before(async () => {
    t = await makeTestEngine();
    dir = path.join(t.base, 'shop');
    fs.mkdirSync(path.join(dir, 'worker'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'worker', 'Dockerfile'), `FROM ${IMAGE}\nRUN echo built > /built\nCMD ["sleep", "1000"]\n`);
  });
  after(async () => {
    if (dir) compose('down', '-v');
    await t.cleanup();
  });

  it('up -d starts the project in order and it answers on its port', async () => {
    const r = ok('up', '-d');
    const order = ['Container shop-db-1  Started', 'Container shop-db-1  Healthy', 'Container shop-web-1  Started', 'Container shop-worker-1  Started'].map((s) => r.stderr.indexOf(s));
    assert.ok(order.every((i) => i >= 0) && order.every((i, n) => n === 0 || i > order[n - 1]), `db healthy before web, web before worker:\n${r.stderr}`);
    assert.match(r.stderr, /Image shop-worker  Built/);
    const ps = ok('ps').stdout;
    for (const name of ['shop-db-1', 'shop-web-1', 'shop-worker-1']) assert.match(ps, new RegExp(`^${name}\\s.*Up`, 'm'));
    const port = ok('port', 'web', '8080').stdout.trim();
    assert.match(port, /^127\.0\.0\.1:\d+$/);
    const body = await (await fetch(`http://${port}/index.html`)).text();
    assert.equal(body, 'hello from test\n', 'interpolated from the environment, served from the shared volume');
    assert.match(ok('ls').stdout, /^shop\s+running\(3\)/m);
    assert.match(ok('logs', 'db').stdout, /^shop-db-1\s+\| db ready$/m);
    const worker = ok('exec', '-T', 'worker', 'sh', '-c', 'cat /built; ping -c1 -W2 web >/dev/null && echo reached web');
    assert.equal(worker.stdout, 'built\nreached web\n');
  });

  it('a second up recreates only the service whose config changed', async () => {
    const before = await ids();
    const same = ok('up', '-d');
    assert.doesNotMatch(same.stderr, /Recreate/);
    assert.deepEqual(await ids(), before);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE.replace('MODE=one', 'MODE=two'));
    const changed = ok('up', '-d');
    assert.match(changed.stderr, /Container shop-worker-1  Recreated/);
    const after = await ids();
    assert.equal(after['shop-db-1'], before['shop-db-1']);
    assert.equal(after['shop-web-1'], before['shop-web-1']);
    assert.notEqual(after['shop-worker-1'], before['shop-worker-1']);
    assert.equal(ok('exec', '-T', 'worker', 'sh', '-c', 'echo $MODE').stdout, 'two\n');
  });

  it('--scale web=3 gives three containers that the service name finds', () => {
    ok('up', '-d', '--scale', 'web=3');
    const ps = ok('ps', '--services').stdout;
    assert.deepEqual(ps.trim().split('\n').sort(), ['db', 'web', 'worker']);
    const webs = ok('ps', 'web').stdout.trim().split('\n').slice(1);
    assert.equal(webs.length, 3, ok('ps').stdout);
    const hosts = ok('exec', '-T', 'worker', 'cat', '/etc/hosts').stdout;
    assert.equal(hosts.split('\n').filter((l) => / web( |$)/.test(l)).length, 3, hosts);
    ok('up', '-d', '--scale', 'web=1');
    assert.equal(ok('ps', 'web').stdout.trim().split('\n').length, 2);
  });

  it('a bad file is one line naming file, line and key, exit 1, and nothing changes', async () => {
    const before = await ids();
    fs.writeFileSync(path.join(dir, 'compose.override.yaml'), 'services:\n  web:\n    ports:\n      - "80:80:80"\n');
    const r = compose('up', '-d');
    fs.rmSync(path.join(dir, 'compose.override.yaml'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `${path.join(dir, 'compose.override.yaml')}:4: services.web.ports[0]: invalid port "80:80:80"`);
    assert.deepEqual(await ids(), before);
  });

  it('down -v removes the containers, the network and the volume', async () => {
    ok('down', '-v');
    assert.deepEqual(await ids(), {});
    assert.ok(!(await t.engine.listNetworks()).some((n) => n.name.startsWith('shop_')));
    assert.ok(!(await t.engine.listVolumes()).some((v) => v.name.startsWith('shop_')));
    assert.equal(ok('ls', '-a').stdout.trim(), 'NAME      STATUS    CONFIG FILES');
  });
});
