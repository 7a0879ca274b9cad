// `strata inspect` of a real container and image has docker 28's key paths in docker's order,
// with docker's JSON types (null where docker prints null), and the values strata has.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as containers } from '../../source/cli/containers.js';
import { main as inspect } from '../../source/cli/inspect.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { DOCKER_CONTAINER_KEYS, DOCKER_IMAGE_KEYS, keyPaths } from './docker-inspect-keys.js';
import { verbIo } from './verb-io.js';

describe('inspect has docker\'s keys', () => {
  let t: TestEngine;
  before(async () => {
    t = await makeTestEngine();
  });
  after(async () => {
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
    await t.cleanup();
  });

  async function inspectJson(...args: string[]) {
    const io = verbIo(t.engine);
    assert.equal(await inspect('inspect', args, io.ctx), 0);
    return JSON.parse(io.stdout.text)[0];
  }

  it('of a container run with defaults: every key path, in order, with its type', async () => {
    const io = verbIo(t.engine);
    assert.equal(await containers('run', ['-d', '--name', 'keys', IMAGE, 'sleep', '60'], io.ctx), 0);
    const c = await inspectJson('keys');
    assert.deepEqual(keyPaths(c), DOCKER_CONTAINER_KEYS);
    const record = await t.engine.inspectContainer('keys');
    assert.equal(c.Id, record.id);
    assert.equal(c.Name, '/keys');
    assert.equal(c.Path, 'sleep');
    assert.deepEqual(c.Args, ['60']);
    assert.equal(c.State.Status, 'running');
    assert.equal(c.State.Pid, record.state.pid);
    assert.equal(c.Driver, 'overlay2');
    assert.equal(c.HostConfig.NetworkMode, 'bridge');
    assert.deepEqual(c.HostConfig.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
    assert.equal(c.HostConfig.ShmSize, 67108864);
    assert.ok(c.HostConfig.MaskedPaths.includes('/proc/kcore'));
    assert.equal(c.HostsPath, `${t.root}/containers/${record.id}/hosts`);
    assert.equal(c.GraphDriver.Data.UpperDir, `${t.root}/containers/${record.id}/upper`);
    assert.match(c.GraphDriver.Data.LowerDir, new RegExp(`^${t.root}/containers/${record.id}/init:${t.root}/layers/[0-9a-f]{64}/diff`));
    assert.equal(c.Config.Hostname, record.id.slice(0, 12));
    assert.deepEqual(c.Config.Cmd, ['sleep', '60']);
    assert.equal(c.Config.Image, IMAGE);
    assert.match(c.NetworkSettings.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(c.NetworkSettings.Networks.bridge.IPAddress, c.NetworkSettings.IPAddress);
  });

  it('of a container with settings: the optional keys docker adds appear where docker puts them', async () => {
    const io = verbIo(t.engine);
    assert.equal(await containers('create', ['--name', 'opts', '--init', '--tmpfs', '/scratch', '--expose', '80', '--stop-signal', 'SIGINT',
      '--stop-timeout', '3', '-v', '/tmp:/host:ro', '--privileged', IMAGE], io.ctx), 0);
    const c = await inspectJson('opts');
    const paths = keyPaths(c).map(([p]) => p);
    const after = (key: string) => paths[paths.indexOf(key) + 1];
    assert.equal(after('HostConfig.SecurityOpt'), 'HostConfig.Tmpfs');
    assert.equal(paths[paths.indexOf('HostConfig.ReadonlyPaths') + 1], 'HostConfig.Init');
    assert.equal(after('Config.AttachStderr'), 'Config.ExposedPorts');
    assert.deepEqual(paths.slice(paths.indexOf('Config.Labels') + 1, paths.indexOf('NetworkSettings')), ['Config.StopSignal', 'Config.StopTimeout']);
    assert.equal(c.HostConfig.Init, true);
    assert.deepEqual(Object.keys(c.HostConfig.Tmpfs), ['/scratch']);
    assert.deepEqual(c.HostConfig.Binds, ['/tmp:/host:ro']);
    assert.equal(c.HostConfig.MaskedPaths, null);
    assert.equal(c.HostConfig.ReadonlyPaths, null);
    assert.equal(c.Config.StopSignal, 'SIGINT');
    assert.equal(c.Config.StopTimeout, 3);
    assert.equal(c.ResolvConfPath, ''); // never started
    assert.deepEqual(c.Mounts.map((m: { Type: string }) => m.Type), ['bind', 'tmpfs']);
  });

  it('of an image: every key path, in order, with its type', async () => {
    const i = await inspectJson('--type', 'image', IMAGE);
    const record = await t.engine.inspectImage(IMAGE);
    const expected = DOCKER_IMAGE_KEYS.filter(([p]) => !p.startsWith('Config.') || Object.hasOwn(i.Config, p.slice(7)));
    assert.deepEqual(keyPaths(i), expected);
    assert.equal(i.Id, record.id);
    assert.deepEqual(i.RepoTags, record.repoTags);
    assert.deepEqual(i.RootFS.Layers, record.diffIds);
    assert.equal(i.GraphDriver.Name, 'overlay2');
    assert.equal(i.GraphDriver.Data.UpperDir, `${t.root}/layers/${record.chainIds.at(-1)!.slice(7)}/diff`);
    assert.deepEqual(i.Config.Cmd, record.config.Cmd);
  });
});
