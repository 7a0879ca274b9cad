// compose with a service on two networks, from the built CLI on a real store: `api` joins both
// `front` and `back` (eth0 and eth1, the first by compose's priority, then name), each with the
// service name and that network's aliases as docker compose gives them; `web` (front only) and
// `db` (back only) reach api but not each other; down removes both networks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/strata.js');

const COMPOSE = `
name: tiers
x-quick: &quick
  stop_grace_period: 1s
services:
  web:
    <<: *quick
    image: ${IMAGE}
    command: sleep 1000
    networks: [front]
  api:
    <<: *quick
    image: ${IMAGE}
    command: sh -c 'mkdir -p /www && echo "api here" > /www/index.html && exec httpd -f -p 80 -h /www'
    networks:
      back:
        aliases: [internal-api]
      front:
        aliases: [public-api]
        priority: 10
  db:
    <<: *quick
    image: ${IMAGE}
    command: sleep 1000
    networks: [back]
networks:
  front: {}
  back: {}
`;

describe('strata compose: a service on two networks', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : !fs.existsSync(CLI) ? 'dist/strata.js is not built' : false, timeout: 240_000 }, () => {
  let t: TestEngine;
  let dir: string;
  const compose = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, 'compose', ...args], { cwd: dir, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]) => {
    const r = compose(...args);
    assert.equal(r.code, 0, `compose ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const run = (service: string, script: string) => compose('exec', '-T', service, 'sh', '-c', script);
  const reaches = (from: string, to: string) => run(from, `ping -c 1 -W 1 ${to}`).code === 0;

  before(async () => {
    t = await makeTestEngine();
    dir = path.join(t.base, 'tiers');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
  });
  after(async () => {
    if (dir) compose('down');
    await t.cleanup();
  });

  it('up joins api to both networks, with each network\'s aliases, and the tiers stay apart', async () => {
    ok('up', '-d');
    const api = await t.engine.inspectContainer('tiers-api-1');
    assert.equal(api.networkSettings?.network, 'tiers_front', 'front first: its priority is higher');
    assert.deepEqual(api.extraNetworks?.map((a) => [a.network, a.interfaceName]), [['tiers_back', 'eth1']]);
    assert.deepEqual(api.hostConfig.networks?.map((e) => [e.network, e.aliases]), [['tiers_front', ['api', 'public-api']], ['tiers_back', ['api', 'internal-api']]]);
    const ifaces = run('api', 'ls /sys/class/net').stdout.split(/\s+/).filter(Boolean).sort();
    assert.deepEqual(ifaces, ['eth0', 'eth1', 'lo']);

    assert.equal(run('web', 'wget -q -O - http://api/').stdout, 'api here\n');
    assert.equal(run('db', 'wget -q -O - http://api/').stdout, 'api here\n');
    assert.ok(reaches('web', 'public-api'));
    assert.ok(reaches('db', 'internal-api'));
    assert.ok(!reaches('web', 'internal-api'), 'an alias is its network\'s only');
    assert.ok(!reaches('db', 'public-api'));
    assert.ok(!reaches('web', 'db'), 'web and db share no network');
    assert.ok(reaches('api', 'web') && reaches('api', 'db'));
  });

  it('down removes the containers and both networks', async () => {
    ok('down');
    assert.deepEqual(await t.engine.listContainers(true), []);
    assert.ok(!(await t.engine.listNetworks()).some((n) => n.name.startsWith('tiers_')));
  });
});
