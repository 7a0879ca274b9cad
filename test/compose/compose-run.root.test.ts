// strata compose, the second slice, from the built CLI on a real store: a service sharing
// another's network namespace (network_mode: service:), secrets and configs from the
// environment, inline content and files at docker compose's targets, an included project, and
// `compose run` one-off containers (overrides, oneoff labels, --rm, the command's exit code).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/strata.js');

const COMPOSE = `
name: kit
include:
  - cache/compose.yaml
services:
  api:
    image: ${IMAGE}
    init: true # a PID 1 that ignores SIGTERM (httpd, sleep) would hold every stop for its 10 s
    command: ["sh", "-c", "echo api-here > /i && exec httpd -f -p 8070 -h /"]
    ports: ["127.0.0.1::8070"]
    depends_on: [cache]
    secrets: [token, {source: cert, target: tls.pem}]
    configs: [settings]
    environment: [ROLE=api]
  sidecar:
    image: ${IMAGE}
    init: true
    network_mode: service:api
    command: ["sleep", "1000"]
secrets:
  token:
    environment: API_TOKEN
  cert:
    file: ./cert.pem
configs:
  settings:
    content: |
      level=\${LEVEL:-info}
`;

const INCLUDED = `
services:
  cache:
    image: ${IMAGE}
    init: true
    command: ["sh", "-c", "cat /data/seed; exec sleep 1000"]
    volumes: ["./seed:/data:ro"]
`;

describe('strata compose: shared namespaces, secrets, include and run', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : false }, () => {
  let t: TestEngine;
  let dir: string;
  const compose = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, 'compose', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, API_TOKEN: 't0ken', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]) => {
    const r = compose(args);
    assert.equal(r.code, 0, `compose ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const byName = async () => Object.fromEntries((await t.engine.listContainers(true)).map((c) => [c.name, c]));

  before(async () => {
    t = await makeTestEngine();
    dir = path.join(t.base, 'kit');
    fs.mkdirSync(path.join(dir, 'cache', 'seed'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'cert.pem'), 'CERT\n');
    fs.writeFileSync(path.join(dir, 'cache', 'compose.yaml'), INCLUDED);
    fs.writeFileSync(path.join(dir, 'cache', 'seed', 'seed'), 'seeded from the included directory\n');
  });
  after(async () => {
    if (dir) compose(['down', '-v']);
    await t.cleanup();
  });

  it('an unset secret variable is refused before anything is made', async () => {
    const unset = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, 'compose', 'up', '-d'], { cwd: dir, encoding: 'utf8', env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'API_TOKEN')) });
    assert.equal(unset.status, 1);
    assert.equal(unset.stderr.trim().split('\n').pop(), 'environment variable "API_TOKEN" required by file "token" is not set');
    assert.deepEqual(await byName(), {});
    assert.deepEqual((await t.engine.listNetworks()).filter((n) => n.name.startsWith('kit_')), []);
    const r = compose(['up', '-d'], { API_TOKEN: '' });
    assert.equal(r.code, 0, 'an empty value is a value');
    ok('down');
    assert.deepEqual(await byName(), {});
  });

  it('up: the included service from its own directory, secrets and configs in place, the sidecar in the api\'s namespace', async () => {
    ok('up', '-d');
    const names = Object.keys(await byName()).sort();
    assert.deepEqual(names, ['kit-api-1', 'kit-cache-1', 'kit-sidecar-1']);
    assert.match(ok('logs', 'cache').stdout, /seeded from the included directory/);
    const files = ok('exec', '-T', 'api', 'sh', '-c', 'cat /run/secrets/token; echo; cat /run/secrets/tls.pem /settings; stat -c %a /run/secrets/token /settings').stdout;
    assert.equal(files, 't0ken\nCERT\nlevel=info\n444\n444\n');
    assert.equal(ok('exec', '-T', 'sidecar', 'wget', '-qO-', 'http://127.0.0.1:8070/i').stdout, 'api-here\n', "the api's server on the sidecar's loopback");
    const sidecar = await t.engine.inspectContainer('kit-sidecar-1');
    assert.equal(sidecar.hostConfig.network, `container:${(await byName())['kit-api-1'].id}`);
  });

  it('a recreated api takes its sidecar along; a changed secret recreates its service', async () => {
    const before = await byName();
    const r = compose(['up', '-d'], { API_TOKEN: 'rotated' });
    assert.equal(r.code, 0, r.stderr);
    const after = await byName();
    assert.notEqual(after['kit-api-1'].id, before['kit-api-1'].id);
    assert.notEqual(after['kit-sidecar-1'].id, before['kit-sidecar-1'].id, 'joined the new namespace');
    assert.equal(after['kit-cache-1'].id, before['kit-cache-1'].id);
    assert.equal(ok('exec', '-T', 'sidecar', 'wget', '-qO-', 'http://127.0.0.1:8070/i').stdout, 'api-here\n');
    assert.equal(ok('exec', '-T', 'api', 'cat', '/run/secrets/token').stdout, 'rotated');
    assert.match(ok('up', '-d').stderr, /Container kit-api-1  Recreated/, 'back to the first value: recreated again');
  });

  it('run: the command\'s exit code, overrides, oneoff labels, no ports unless asked, --rm', async () => {
    const r = compose(['run', '--rm', '-e', 'EXTRA=1', '-w', '/tmp', '-u', '1000:1000', 'api', 'sh', '-c', 'echo "$ROLE $EXTRA $(pwd) $(id -u)"; cat /run/secrets/token; echo; exit 7']);
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, 'api 1 /tmp 1000\nt0ken\n');
    assert.ok(!Object.keys(await byName()).some((n) => n.includes('-run-')), '--rm removed it');

    const named = compose(['run', '-T', '--name', 'oneshot', '--entrypoint', 'sh -c', '-v', `${dir}/cert.pem:/mnt/c:ro`, '-l', 'purpose=test', 'api', 'cat /mnt/c']);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(named.stdout, 'CERT\n');
    const rec = await t.engine.inspectContainer('oneshot');
    assert.equal(rec.config.labels['com.docker.compose.oneoff'], 'True');
    assert.equal(rec.config.labels['com.docker.compose.service'], 'api');
    assert.equal(rec.config.labels.purpose, 'test');
    assert.deepEqual(rec.ports, [], 'no published ports without --service-ports');
    assert.doesNotMatch(ok('ps').stdout, /oneshot/, 'ps leaves one-off containers out');
    assert.match(ok('ps', '-a').stdout, /^oneshot\s/m);

    const detached = ok('run', '-d', '--service-ports', '--no-deps', 'api', 'sh', '-c', 'exec httpd -f -p 8070 -h /etc');
    const name = detached.stdout.trim();
    assert.match(name, /^kit-api-run-[0-9a-f]{12}$/);
    const ports = (await t.engine.inspectContainer(name)).ports ?? [];
    assert.deepEqual(ports.map((p) => p.containerPort), [8070]);
  });

  it('down removes the one-off containers too and leaves nothing', async () => {
    ok('down', '-v');
    assert.deepEqual(await byName(), {});
    assert.ok(!(await t.engine.listNetworks()).some((n) => n.name.startsWith('kit_')));
  });
});
