// The store's default log bounds: the config file's "log-opts" (docker's daemon.json names)
// bound the log of every container created without its own --log-opt, a flood included; unset,
// the log is docker's default (unbounded); `info` says which is in effect.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ContainerPaths } from '../../../source/engine/containers/paths.js';
import { makeTestEngine, type TestEngine, IMAGE } from '../../support/test-engine.js';

describe('default log options from the config file', () => {
  let t: TestEngine;
  const savedXdg = process.env.XDG_CONFIG_HOME;
  before(async () => { t = await makeTestEngine(); });
  after(async () => {
    if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedXdg;
    await t.cleanup();
  });

  function useConfig(config: object | undefined): void {
    const dir = path.join(t.base, 'config');
    fs.mkdirSync(path.join(dir, 'strata-nodejs'), { recursive: true });
    const file = path.join(dir, 'strata-nodejs', 'config.json');
    if (config) fs.writeFileSync(file, JSON.stringify(config));
    else fs.rmSync(file, { force: true });
    process.env.XDG_CONFIG_HOME = dir;
  }

  function logBytes(id: string): number {
    const logs = path.dirname(new ContainerPaths(t.root, t.runtimeDir).log(id));
    return fs.readdirSync(logs).reduce((sum, name) => sum + fs.statSync(path.join(logs, name)).size, 0);
  }

  it('unset: docker\'s default, no bound; info says so', async () => {
    useConfig(undefined);
    const info = await t.engine.info();
    assert.deepEqual(info.logDefaults, {});
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['true'], network: 'none' });
    assert.deepEqual((await t.engine.inspectContainer(record.id)).hostConfig.log, {});
    await t.engine.waitContainer(record.id);
    await t.engine.removeContainer(record.id, true);
  });

  it('set: a flooding container\'s log stays within max-size × max-file', async () => {
    useConfig({ 'log-opts': { 'max-size': '64k', 'max-file': '2' } });
    assert.deepEqual((await t.engine.info()).logDefaults, { maxSizeBytes: 65536, maxFiles: 2 });
    const { record } = await t.engine.runContainer({ image: IMAGE, network: 'none', cmd: ['sh', '-c', 'yes flooding-the-log | head -c 20000000; echo done'] });
    assert.equal(await t.engine.waitContainer(record.id), 0);
    assert.deepEqual((await t.engine.inspectContainer(record.id)).hostConfig.log, { maxSizeBytes: 65536, maxFiles: 2 });
    const bytes = logBytes(record.id);
    // 20 MB of output, each line about 60 bytes of JSON: without the bound the log is ~60 MB
    assert.ok(bytes <= 2 * (65536 + 16 * 1024 + 200), `the log holds ${bytes} bytes`);
    assert.ok(bytes > 0);
    await t.engine.removeContainer(record.id, true);
  });

  it('a container\'s own --log-opt wins over the default; a bad default value is ignored', async () => {
    useConfig({ 'log-opts': { 'max-size': '64k', 'max-file': 'many' } });
    assert.deepEqual((await t.engine.info()).logDefaults, { maxSizeBytes: 65536 });
    const record = await t.engine.createContainer({ image: IMAGE, cmd: ['true'], network: 'none', log: { maxSizeBytes: 1 << 20, maxFiles: 3 } });
    assert.deepEqual(record.hostConfig.log, { maxSizeBytes: 1 << 20, maxFiles: 3 });
    const partly = await t.engine.createContainer({ image: IMAGE, cmd: ['true'], network: 'none', log: { maxFiles: 4 } });
    assert.deepEqual(partly.hostConfig.log, { maxSizeBytes: 65536, maxFiles: 4 });
  });
});
