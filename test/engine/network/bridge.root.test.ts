// Bridge networking on the real kernel: published ports, addresses, names on user networks,
// --network none, the generated /etc files, and a host with nothing left after removal.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../source/engine/engine.js';
import { IMAGE, execCollect, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { httpGet, links, nftTable, nftTables, outerAddress, vethGone } from './host-state.js';

const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

// The server may still be starting: a few tries, quietly. (`timeout`, not wget's -T: Debian's
// busybox 1.35 wget crashes with -T.)
function retryWget(url: string): string {
  return `for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O- ${url} 2>/dev/null && break; sleep 0.2; done`;
}

describe('bridge networking', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('publishes a port reachable on loopback, the bridge address and the outer address', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'web', cmd: HTTPD, ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 0 }] });
    const ns = record.networkSettings!;
    assert.equal(ns.ports.length, 1);
    const hostPort = ns.ports[0].hostPort;
    assert.ok(hostPort >= 1024, `ephemeral port ${hostPort}`);
    assert.deepEqual(await t.engine.containerPorts('web'), ns.ports);
    const expected = `hello from ${record.config.hostname}\n`;
    assert.equal(await httpGet('127.0.0.1', hostPort), expected);
    assert.equal(await httpGet(ns.gateway, hostPort), expected);
    const outer = outerAddress();
    if (outer) assert.equal(await httpGet(outer, hostPort), expected);
    assert.equal(await httpGet(ns.ipAddress, 80), expected); // the container's own address
    assert.ok(links().includes(ns.bridge));
    assert.ok(nftTables().includes(`table ip ${ns.bridge}`));

    await t.engine.removeContainer('web', true);
    assert.ok(await vethGone(record.id), 'no veth left');
    assert.doesNotMatch(nftTable(ns.bridge), new RegExp(record.id), 'no rule of the container left');
    await assert.rejects(httpGet('127.0.0.1', hostPort, '/', 300));
    // the bridge stays between containers, as docker0 does, until released
    assert.ok(links().includes(ns.bridge));
    await t.engine.releaseIdleNetworks();
    assert.ok(!links().includes(ns.bridge), 'the idle bridge is released');
    assert.ok(!nftTables().includes(`table ip ${ns.bridge}`), 'and its table');
  });

  it('lets containers on a user network reach each other by address and by name', async () => {
    const net = await t.engine.createNetwork(`t${process.pid}`);
    try {
      const { record: server } = await t.engine.runContainer({ image: IMAGE, name: 'srv', network: net.name, cmd: HTTPD });
      const ip = server.networkSettings!.ipAddress;
      const client = await runToEnd(t.engine, ['sh', '-c', `ping -c1 -W2 ${ip} >/dev/null && echo PING-OK; ${retryWget('http://srv/')}; cat /etc/hosts`], { network: net.name });
      assert.equal(client.exitCode, 0, client.stderr);
      assert.match(client.stdout, /^PING-OK$/m);
      assert.match(client.stdout, /^hello from /m);
      assert.match(client.stdout, new RegExp(`^${ip.replace(/\./g, '\\.')}\\tsrv `, 'm'));
      // the server's /etc/hosts listed the client while it ran, and forgot it after
      const hosts = await execCollect(t.engine, 'srv', ['cat', '/etc/hosts']);
      assert.doesNotMatch(hosts.stdout, new RegExp(client.record.name));
      const inspected = await t.engine.inspectNetwork(net.name);
      assert.deepEqual(inspected.containers.map((c) => c.name), ['srv']);
      await assert.rejects(t.engine.removeNetwork(net.name), /active endpoints/);
    } finally {
      await t.engine.removeContainer('srv', true).catch(() => {});
      await t.engine.removeNetwork(net.name);
    }
    assert.ok(!links().includes(net.bridge));
    assert.ok(!nftTables().includes(`table ip ${net.bridge}`));
  });

  it('gives --network none only lo, so the bridge cannot be reached', async () => {
    const { record: server } = await t.engine.runContainer({ image: IMAGE, name: 'srv2', cmd: HTTPD });
    try {
      const url = `http://${server.networkSettings!.ipAddress}/`;
      const control = await runToEnd(t.engine, ['sh', '-c', retryWget(url)]);
      assert.match(control.stdout, /^hello from /m, 'reachable from the bridge');
      const r = await runToEnd(t.engine, ['sh', '-c', `cat /proc/net/dev; timeout 3 wget -q -O- ${url} && echo REACHED`], { network: 'none' });
      assert.doesNotMatch(r.stdout, /REACHED/);
      assert.doesNotMatch(r.stdout, /eth0/);
      assert.match(r.stdout, /lo:/);
    } finally {
      await t.engine.removeContainer('srv2', true);
    }
  });

  it('writes /etc/hosts, hostname and resolv.conf outside the container layer', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sleep', '30'], hostname: 'box', extraHosts: ['db:10.88.0.5'], dns: ['1.1.1.1'] });
    const r = await execCollect(t.engine, record.id, ['sh', '-c', 'cat /etc/hostname /etc/resolv.conf; grep db /etc/hosts; echo "1.2.3.4 extra" >> /etc/hosts && echo APPENDED']);
    assert.match(r.stdout, /^box$/m);
    assert.match(r.stdout, /^nameserver 1\.1\.1\.1$/m);
    assert.match(r.stdout, /^10\.88\.0\.5\tdb$/m);
    assert.match(r.stdout, /^APPENDED$/m);
    const upper = fs.readdirSync(`${t.root}/containers/${record.id}/upper`, { recursive: true });
    assert.deepEqual(upper, [], 'nothing of /etc in the upper dir');
    await t.engine.removeContainer(record.id, true);
  });

  it('cleans up what a container that exited unobserved left, on the next engine start', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sleep', '0.3'], ports: [{ containerPort: 80, protocol: 'tcp' }] });
    const bridge = record.networkSettings!.bridge;
    await new Promise((r) => setTimeout(r, 800)); // it exits while nobody looks
    assert.ok(nftTables().includes(`table ip ${bridge}`), 'the rules stay until somebody looks');
    const next = new Engine({ root: t.root, runtimeDir: t.runtimeDir }); // "the next strata process"
    await next.listContainers(true);
    assert.doesNotMatch(nftTable(bridge), new RegExp(record.id), 'its port rule is gone');
    assert.ok(await vethGone(record.id), 'its veth is gone');
    const after = await next.inspectContainer(record.id);
    assert.equal(after.state.status, 'exited');
    assert.equal(after.networkSettings, undefined);
    await next.removeContainer(record.id);
    await next.close();
  });
});
