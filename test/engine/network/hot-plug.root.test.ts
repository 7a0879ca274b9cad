// network connect/disconnect of RUNNING containers on the real kernel: a new eth0 in the
// container's namespace with an address from the network, peers reaching each other by name
// (and by alias) at once, inspect's NetworkSettings; disconnect takes the interface away.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as network } from '../../../source/cli/network.js';
import { containerInspect } from '../../../source/engine/docker-shape/container-inspect.js';
import { hostVethName } from '../../../source/engine/network/sandbox.js';
import { IMAGE, execCollect, makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { verbIo } from '../../cli/verb-io.js';
import { links, vethGone } from './host-state.js';

describe('network hot-plug', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  const interfaces = async (ref: string) => (await execCollect(t.engine, ref, ['ls', '/sys/class/net'])).stdout.split(/\s+/).filter(Boolean).sort();
  const ping = (from: string, to: string) => execCollect(t.engine, from, ['ping', '-c', '1', '-W', '2', to]);

  it('connects two running containers so they reach each other by name, and disconnects one', async () => {
    await t.engine.createNetwork('hotnet');
    await t.engine.runContainer({ image: IMAGE, name: 'server', network: 'hotnet', cmd: ['sleep', '300'] });
    const { record: client } = await t.engine.runContainer({ image: IMAGE, name: 'client', network: 'none', cmd: ['sleep', '300'] });
    assert.deepEqual(await interfaces('client'), ['lo']);

    assert.equal(await network('network', ['connect', '--alias', 'front', 'hotnet', 'client'], verbIo(t.engine).ctx), 0);
    const connected = await t.engine.inspectContainer('client');
    assert.equal(connected.state.pid, client.state.pid, 'the same process, not a restart');
    const settings = connected.networkSettings!;
    assert.equal(settings.network, 'hotnet');
    assert.match(settings.ipAddress, /^\d+\.\d+\.\d+\.\d+$/);
    const shape = containerInspect(connected, { root: t.root }) as { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } };
    assert.equal(shape.NetworkSettings.Networks.hotnet.IPAddress, settings.ipAddress);
    assert.deepEqual(await interfaces('client'), ['eth0', 'lo']);
    const addr = await execCollect(t.engine, 'client', ['ip', '-4', 'addr', 'show', 'eth0']);
    assert.match(addr.stdout, new RegExp(`inet ${settings.ipAddress.replace(/\./g, '\\.')}/${settings.prefixLen}`));

    const toServer = await ping('client', 'server');
    assert.equal(toServer.exitCode, 0, toServer.stdout + toServer.stderr);
    for (const name of ['client', 'front']) {
      const back = await ping('server', name);
      assert.equal(back.exitCode, 0, `server → ${name}: ${back.stdout}${back.stderr}`);
    }
    const listed = await t.engine.inspectNetwork('hotnet');
    assert.ok(listed.containers.some((c) => c.name === 'client' && c.ipAddress === settings.ipAddress));

    assert.equal(await network('network', ['disconnect', 'hotnet', 'client'], verbIo(t.engine).ctx), 0);
    assert.deepEqual(await interfaces('client'), ['lo']);
    assert.ok(!links().includes(hostVethName(client.id)), 'the host end is gone');
    assert.ok(await vethGone(client.id));
    const after = await t.engine.inspectContainer('client');
    assert.equal(after.networkSettings, undefined);
    assert.equal(after.hostConfig.network, 'none');
    assert.notEqual((await ping('server', 'client')).exitCode, 0, 'its name is gone from the peers');
    assert.ok(!(await t.engine.inspectNetwork('hotnet')).containers.some((c) => c.name === 'client'));
    assert.equal((await t.engine.inspectContainer('client')).state.status, 'running');
  });

  it('moves a running container from the default bridge to a user network', async () => {
    await t.engine.createNetwork('second');
    await t.engine.runContainer({ image: IMAGE, name: 'peer', network: 'second', cmd: ['sleep', '300'] });
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'mover', cmd: ['sleep', '300'] });
    const onBridge = record.networkSettings!.ipAddress;
    assert.equal(await network('network', ['disconnect', 'bridge', 'mover'], verbIo(t.engine).ctx), 0);
    assert.deepEqual(await interfaces('mover'), ['lo']);
    assert.equal(await network('network', ['connect', 'second', 'mover'], verbIo(t.engine).ctx), 0);
    const moved = (await t.engine.inspectContainer('mover')).networkSettings!;
    assert.notEqual(moved.ipAddress, onBridge);
    const r = await ping('mover', 'peer');
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    await t.engine.removeContainer('mover', true);
    assert.ok(await vethGone(record.id));
  });

  it('keeps a hot-plugged network for the next start, and leaves nothing behind', async () => {
    await t.engine.createNetwork('kept');
    await t.engine.runContainer({ image: IMAGE, name: 'anchor', network: 'kept', cmd: ['sleep', '300'] });
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'plugged', network: 'none', cmd: ['sleep', '300'] });
    assert.equal(await network('network', ['connect', 'kept', 'plugged'], verbIo(t.engine).ctx), 0);
    await t.engine.stopContainer('plugged', 1);
    assert.ok(await vethGone(record.id), 'its veth went with its process');
    await t.engine.startContainer('plugged');
    assert.equal((await t.engine.inspectContainer('plugged')).networkSettings?.network, 'kept');
    const r = await ping('plugged', 'anchor');
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    await t.engine.removeContainer('plugged', true);
    assert.ok(await vethGone(record.id));
  });
});
