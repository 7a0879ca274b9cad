// Containers on several networks at once, as under docker, checked the way a user checks them:
// `run --network a --network b` gives eth0 and eth1 with an address on each, peers on each
// network reach it by name (aliases per network), only peers on a shared network reach each
// other; `network connect` of a running container adds the next ethN, `disconnect` of one leaves
// the others (and the published ports) working; hot-plugged networks come back after stop/start
// and after a restart policy's restart; removal leaves no veth behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IMAGE, execCollect, makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { sampleUntil } from '../../support/sample-until.js';
import { hostVethName } from '../../../source/engine/network/sandbox.js';
import { httpGet, links, vethGone } from './host-state.js';

const CLI = path.resolve(import.meta.dirname, '../../../dist/strata.js');
const skip = !fs.existsSync(CLI) ? 'dist/strata.js is not built' : false;

describe('containers on several networks', { skip, timeout: 300_000 }, () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  const strata = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]) => {
    const r = strata(...args);
    assert.equal(r.code, 0, `strata ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const sh = (ref: string, script: string) => execCollect(t.engine, ref, ['sh', '-c', script]);
  const reaches = async (from: string, to: string) => (await execCollect(t.engine, from, ['ping', '-c', '1', '-W', '1', to])).exitCode === 0;
  // "eth0 10.78.0.2/24" for each IPv4 address but lo's
  const addresses = async (ref: string) => (await sh(ref, 'ip -o -4 addr show')).stdout.split('\n')
    .map((l) => /^\d+: (\S+)\s+inet (\S+)/.exec(l)).filter((m): m is RegExpExecArray => !!m && m[1] !== 'lo').map((m) => `${m[1]} ${m[2]}`).sort();
  const defaultVia = async (ref: string) => /default via (\S+)/.exec((await sh(ref, 'ip route')).stdout)?.[1];
  const net = async (name: string) => (await t.engine.inspectNetwork(name)).network;

  it('runs a container on two networks: eth0 and eth1, peers of each reach it, and only peers on a shared network reach each other', async () => {
    ok('network', 'create', 'front');
    ok('network', 'create', 'back');
    const [front, back] = [await net('front'), await net('back')];
    await t.engine.runContainer({ image: IMAGE, name: 'web', network: 'front', cmd: ['sleep', '300'] });
    await t.engine.runContainer({ image: IMAGE, name: 'db', network: 'back', cmd: ['sleep', '300'] });
    const wanted = back.subnet.replace(/\.0\/24$/, '.50');
    const id = ok('run', '-d', '--name', 'app', '--network', 'front', '--network', `name=back,alias=api,ip=${wanted},mac-address=02:42:00:00:be:ef`, IMAGE, 'sleep', '300').trim();

    const app = await t.engine.inspectContainer('app');
    const [onFront, onBack] = [app.networkSettings!, app.extraNetworks![0]];
    assert.deepEqual(await addresses('app'), [`eth0 ${onFront.ipAddress}/24`, `eth1 ${onBack.ipAddress}/24`]);
    assert.equal(onFront.network, 'front');
    assert.equal(onBack.network, 'back');
    assert.equal(onBack.ipAddress, wanted, 'the address asked for with ip=');
    assert.equal((await sh('app', 'cat /sys/class/net/eth1/address')).stdout, '02:42:00:00:be:ef\n', 'and the MAC with mac-address=');
    assert.equal(await defaultVia('app'), front.gateway, 'the default route goes through the first network');
    const hosts = (await sh('app', 'cat /etc/hosts')).stdout;
    assert.match(hosts, new RegExp(`^${onFront.ipAddress}\\t${id.slice(0, 12)}`, 'm'));
    assert.match(hosts, new RegExp(`^${onBack.ipAddress}\\t${id.slice(0, 12)} app api$`, 'm'));

    assert.ok(await reaches('app', 'web'), 'app → web on front');
    assert.ok(await reaches('app', 'db'), 'app → db on back');
    assert.ok(await reaches('web', 'app'), 'web → app');
    assert.ok(await reaches('db', 'api'), 'db → app by its alias on back');
    assert.ok(!(await reaches('web', 'api')), 'the alias is back\'s only');
    assert.ok(!(await reaches('web', 'db')), 'web and db share no network: no name');
    const dbIp = (await t.engine.inspectContainer('db')).networkSettings!.ipAddress;
    assert.ok(!(await reaches('web', dbIp)), 'nor a route: the networks are isolated');

    const networks = JSON.parse(ok('inspect', '-f', '{{json .NetworkSettings.Networks}}', 'app')) as Record<string, { IPAddress: string; Aliases: string[] | null }>;
    assert.deepEqual(Object.keys(networks), ['front', 'back']);
    assert.equal(networks.front.IPAddress, onFront.ipAddress);
    assert.equal(networks.back.IPAddress, onBack.ipAddress);
    assert.deepEqual(networks.back.Aliases, ['api']);
    assert.equal(ok('ps', '--filter', 'name=app', '--format', '{{.Networks}}').trim(), 'back,front', 'sorted, as podman lists them');
    assert.equal(ok('ps', '-q', '--filter', 'network=back').split('\n').filter(Boolean).length, 2);
    const members = JSON.parse(ok('network', 'inspect', '-f', '{{json .Containers}}', 'back')) as Record<string, { Name: string; IPv4Address: string; MacAddress: string }>;
    assert.equal(members[id].IPv4Address, `${onBack.ipAddress}/24`);
    assert.equal(members[id].MacAddress, '02:42:00:00:be:ef');
    assert.deepEqual(Object.values(members).map((m) => m.Name).sort(), ['app', 'db']);
    assert.equal(back.subnet.endsWith('/24'), true);

    const rm = strata('network', 'rm', 'back');
    assert.equal(rm.code, 1);
    assert.match(rm.stderr, /network back id [0-9a-f]{64} has active endpoints/);

    ok('rm', '-f', 'app');
    assert.ok(await vethGone(id), 'both host ends are gone');
    assert.ok(!links().some((l) => l.startsWith(hostVethName(id))));
    assert.ok(!(await t.engine.inspectNetwork('back')).containers.some((c) => c.name === 'app'));
  });

  it('refuses what docker refuses for several networks', () => {
    const mixed = strata('run', '--network', 'bridge', '--network', 'front', IMAGE, 'true');
    assert.equal(mixed.code, 125);
    assert.match(mixed.stderr, /cannot attach both user-defined and non-user-defined network-modes/);
    const twice = strata('create', '--network', 'front', '--network', 'front', IMAGE);
    assert.equal(twice.code, 125);
    assert.match(twice.stderr, /network "front" is specified multiple times/);
    const both = strata('create', '--network-alias', 'x', '--network', 'name=front,alias=y', IMAGE);
    assert.equal(both.code, 125);
    assert.match(both.stderr, /cannot specify both --network-alias and per-network alias/);
  });

  it('connects a running container to a second network and disconnects its first: ports and the other network keep working', async () => {
    const hostPort = 21000 + (process.pid % 4000);
    ok('run', '-d', '--name', 'shop', '--network', 'front', '-p', `127.0.0.1:${hostPort}:80`, IMAGE,
      'sh', '-c', 'mkdir -p /www && echo "hello from shop" > /www/index.html && exec httpd -f -p 80 -h /www');
    assert.equal(await httpGet('127.0.0.1', hostPort, '/', 20_000), 'hello from shop\n');
    const wanted = (await net('back')).subnet.replace(/\.0\/24$/, '.77');
    ok('network', 'connect', '--alias', 'store', '--ip', wanted, 'back', 'shop');
    const shop = await t.engine.inspectContainer('shop');
    const onBack = shop.extraNetworks![0];
    assert.equal(onBack.interfaceName, 'eth1');
    assert.equal(onBack.ipAddress, wanted, 'the address asked for with --ip');
    assert.deepEqual(await addresses('shop'), [`eth0 ${shop.networkSettings!.ipAddress}/24`, `eth1 ${onBack.ipAddress}/24`]);
    assert.ok(await reaches('db', 'store'), 'db → shop by its alias on back, at once');
    assert.equal(await httpGet('127.0.0.1', hostPort), 'hello from shop\n', 'with two networks');
    const fromDb = await sh('db', 'wget -q -O - http://shop/');
    assert.equal(fromDb.stdout, 'hello from shop\n', fromDb.stderr);

    ok('network', 'disconnect', 'front', 'shop');
    assert.deepEqual(await addresses('shop'), [`eth1 ${onBack.ipAddress}/24`]);
    assert.equal(await defaultVia('shop'), (await net('back')).gateway, 'back gives the default route now');
    assert.equal(await httpGet('127.0.0.1', hostPort), 'hello from shop\n', 'the published port follows to back');
    assert.ok(await reaches('db', 'shop'));
    assert.ok(!(await reaches('web', 'shop')), 'no longer on front');
    assert.equal(ok('ps', '--filter', 'name=shop', '--format', '{{.Networks}}').trim(), 'back');
    assert.match(ok('port', 'shop'), new RegExp(`80/tcp -> 127\\.0\\.0\\.1:${hostPort}`));
    ok('rm', '-f', 'shop');

    // on no network at first: its ports are published with the network connected later
    const laterPort = hostPort + 1;
    ok('run', '-d', '--name', 'dark', '--network', 'none', '-p', `127.0.0.1:${laterPort}:80`, IMAGE,
      'sh', '-c', 'mkdir -p /www && echo "hello from dark" > /www/index.html && exec httpd -f -p 80 -h /www');
    ok('network', 'connect', 'front', 'dark');
    assert.equal(await httpGet('127.0.0.1', laterPort, '/', 20_000), 'hello from dark\n');
    ok('rm', '-f', 'dark');
  });

  it('keeps hot-plugged networks through stop/start and through the restart policy\'s restarts', async () => {
    // exits 1 whenever /tmp/die appears: its restart policy runs it again in the same namespace
    const loop = 'while [ ! -f /tmp/die ]; do sleep 0.1; done; rm /tmp/die; exit 1';
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'phoenix', network: 'none', cmd: ['sh', '-c', loop], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    ok('network', 'connect', 'front', 'phoenix');
    ok('network', 'connect', 'back', 'phoenix');
    const before = await addresses('phoenix');
    assert.deepEqual(before.map((a) => a.split(' ')[0]), ['eth0', 'eth1']);

    await sh('phoenix', 'touch /tmp/die');
    const restarted = await sampleUntil(() => t.engine.inspectContainer('phoenix'), (r) => r.restartCount >= 1 && r.state.running, { timeoutMs: 30_000 });
    assert.ok(restarted.restartCount >= 1 && restarted.state.running, `restarted: ${restarted.state.status} ${restarted.restartCount}`);
    assert.notEqual(restarted.state.pid, record.state.pid, 'a new process');
    assert.deepEqual(await addresses('phoenix'), before, 'both networks are back after the restart');
    assert.ok(await reaches('phoenix', 'web'));
    assert.ok(await reaches('phoenix', 'db'));
    assert.ok(await reaches('db', 'phoenix'));

    await t.engine.stopContainer('phoenix', 1);
    assert.ok(await vethGone(record.id), 'its veths went with the namespace');
    await t.engine.startContainer('phoenix');
    assert.deepEqual((await addresses('phoenix')).map((a) => a.split(' ')[0]), ['eth0', 'eth1']);
    assert.ok(await reaches('phoenix', 'web'));
    assert.ok(await reaches('db', 'phoenix'));
    assert.equal(await defaultVia('phoenix'), (await net('front')).gateway, 'the first connected gives the default route');

    // connected while stopped: there at its first start
    await t.engine.createContainer({ image: IMAGE, name: 'late', network: 'front', cmd: ['sleep', '300'] });
    ok('network', 'connect', 'back', 'late');
    ok('start', 'late');
    assert.deepEqual((await addresses('late')).map((a) => a.split(' ')[0]), ['eth0', 'eth1']);
    assert.ok(await reaches('late', 'db'));
    ok('rm', '-f', 'late');

    await t.engine.removeContainer('phoenix', true);
    assert.ok(await vethGone(record.id));
    for (const name of ['front', 'back']) assert.ok(!(await t.engine.inspectNetwork(name)).containers.some((c) => c.name === 'phoenix'));
  });
});
