// Health checks, run by the container's monitor: healthy, unhealthy after `retries`, shown by
// ps and inspect, announced as health_status events, and --no-healthcheck over an image's check.
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineEvent } from '../../../source/engine/api.js';
import { until } from '../../support/until.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../../support/test-engine.js';

const HEALTHY_IMAGE = 'test/busybox-health:latest';

describe('health checks', () => {
  let t: TestEngine;
  const events: EngineEvent[] = [];
  before(async () => {
    t = await makeTestEngine();
    const context = fs.mkdtempSync(path.join(t.base, 'ctx-'));
    await t.engine.build({ context, dockerfileText: `FROM ${IMAGE}\nHEALTHCHECK --interval=100ms --retries=2 CMD ["sh", "-c", "exit 1"]\n`, tags: [HEALTHY_IMAGE] });
    t.engine.on((e) => events.push(e));
  });
  after(async () => { await t.cleanup(); });

  const health = async (ref: string) => (await t.engine.inspectContainer(ref)).state.health;

  it('a passing check makes the container healthy, in ps and inspect', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'fine', cmd: ['sleep', '30'], healthcheck: { Test: ['CMD-SHELL', 'echo ok'], Interval: 100e6, Retries: 2 } });
    await t.engine.startContainer(c.id);
    assert.equal((await health('fine'))?.status, 'starting');
    const listed = (await t.engine.listContainers()).find((s) => s.name === 'fine')!;
    assert.match(listed.statusText, /^Up .* \(health: starting\)$/);
    const h = await until('healthy', 5000, async () => ((await health('fine'))?.status === 'healthy' ? await health('fine') : undefined));
    assert.equal(h!.failingStreak, 0);
    assert.equal(h!.log.at(-1)!.exitCode, 0);
    assert.equal(h!.log.at(-1)!.output, 'ok\n');
    const after = (await t.engine.listContainers()).find((s) => s.name === 'fine')!;
    assert.match(after.statusText, /^Up .* \(healthy\)$/);
    assert.ok(events.some((e) => e.type === 'container' && e.action === 'health_status' && e.id === c.id && e.health === 'healthy'));
    await sleep(600);
    assert.ok((await health('fine'))!.log.length <= 5);
    await t.engine.removeContainer('fine', true);
  });

  it('a failing check makes it unhealthy after retries', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'sick', cmd: ['sleep', '30'], healthcheck: { Test: ['CMD', 'sh', '-c', 'echo bad; exit 3'], Interval: 100e6, Retries: 3 } });
    await t.engine.startContainer(c.id);
    const h = await until('unhealthy', 5000, async () => ((await health('sick'))?.status === 'unhealthy' ? await health('sick') : undefined));
    assert.ok(h!.failingStreak >= 3, String(h!.failingStreak));
    assert.equal(h!.log.at(-1)!.exitCode, 3);
    assert.equal(h!.log.at(-1)!.output, 'bad\n');
    const listed = (await t.engine.listContainers()).find((s) => s.name === 'sick')!;
    assert.match(listed.statusText, /^Up .* \(unhealthy\)$/);
    assert.ok(events.some((e) => e.type === 'container' && e.action === 'health_status' && e.id === c.id && e.health === 'unhealthy'));
    await t.engine.removeContainer('sick', true);
  });

  it("runs the image's HEALTHCHECK, and --no-healthcheck disables it", async () => {
    const withCheck = await t.engine.createContainer({ image: HEALTHY_IMAGE, name: 'imaged', cmd: ['sleep', '30'] });
    await t.engine.startContainer(withCheck.id);
    await until('unhealthy', 5000, async () => ((await health('imaged'))?.status === 'unhealthy' ? true : undefined));
    const without = await t.engine.createContainer({ image: HEALTHY_IMAGE, name: 'unchecked', cmd: ['sleep', '30'], healthcheck: { Test: ['NONE'] } });
    await t.engine.startContainer(without.id);
    await sleep(500);
    const r = await t.engine.inspectContainer('unchecked');
    assert.equal(r.state.health, undefined);
    assert.equal(r.healthcheck, undefined);
    const listed = (await t.engine.listContainers()).find((s) => s.name === 'unchecked')!;
    assert.match(listed.statusText, /^Up [^(]*$/);
    await t.engine.removeContainer('imaged', true);
    await t.engine.removeContainer('unchecked', true);
  });
});
