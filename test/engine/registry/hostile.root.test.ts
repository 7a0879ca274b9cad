// A registry that attacks or stalls: an endless body behind an absurd declared size, bodies and
// headers that stop coming, one bad layer among slow ones. Each pull ends soon with one clear
// line, reads only a bounded amount, and leaves no image, layer or partial blob behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../source/engine/engine.js';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { endlessBody, stalledBody, stalledHeaders, startHostileRegistry, type HostileRegistry } from './hostile-registry.js';

describe('pull from a hostile registry', () => {
  let t: TestEngine;
  let engine: Engine; // same store as t, short timeouts
  const servers: HostileRegistry[] = [];

  before(async () => {
    t = await makeTestEngine();
    engine = new Engine({
      root: t.root, runtimeDir: t.runtimeDir,
      registry: { authFile: path.join(t.base, 'auth.json'), dockerConfigFile: path.join(t.base, 'docker.json'), insecure: [], timeouts: { connectMs: 2000, idleMs: 2000 } },
    });
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await engine?.close();
    await t?.cleanup();
  });

  async function serve(...args: Parameters<typeof startHostileRegistry>): Promise<HostileRegistry> {
    const s = await startHostileRegistry(...args);
    servers.push(s);
    return s;
  }

  async function failsWith(ref: string, message: RegExp, withinMs: number): Promise<void> {
    const started = Date.now();
    await assert.rejects(engine.pullImage(ref), (err: Error) => {
      assert.equal(err.name, 'EngineError');
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
    assert.ok(Date.now() - started < withinMs, `failed after ${Date.now() - started} ms`);
    assert.deepEqual(fs.readdirSync(path.join(t.root, 'tmp')), [], 'no partial blob');
    assert.equal(fs.readdirSync(path.join(t.root, 'layers')).length, 1, 'only busybox\'s layer');
    assert.deepEqual((await engine.listImages()).flatMap((i) => i.repoTags), ['test/busybox:latest']);
  }

  it('cuts an endless body behind a 10^15-byte layer once extraction has failed', async () => {
    const r = await serve([{ size: 1e15, serve: endlessBody }]);
    await failsWith(`${r.host}/x:1`, /^layer sha256:[0-9a-f]{64}: /, 20_000);
    assert.ok(r.sent[0].bytes < 64 << 20, `read ${r.sent[0].bytes} bytes`);
  });

  it('cuts a body longer than its declared size at that size', async () => {
    const r = await serve([{ size: 100_000, serve: endlessBody }]);
    await failsWith(`${r.host}/x:1`, /^layer sha256:[0-9a-f]{64}/, 20_000);
    assert.ok(r.sent[0].bytes < 16 << 20, `read ${r.sent[0].bytes} bytes`);
  });

  it('gives up on a body that stops coming', async () => {
    const r = await serve([{ size: 1 << 20, serve: stalledBody }]);
    await failsWith(`${r.host}/x:1`, /^Get "http:\/\/127\.0\.0\.1:\d+\/v2\/x\/blobs\/sha256:[0-9a-f]{64}": no data for 2 s from the registry$/, 10_000);
  });

  it('gives up on headers that never come', async () => {
    const r = await serve([{ size: 1 << 20, serve: stalledHeaders }]);
    await failsWith(`${r.host}/x:1`, /^Get "http:\/\/127\.0\.0\.1:\d+\/v2\/x\/blobs\/sha256:[0-9a-f]{64}": no data for 2 s from the registry$/, 10_000);
    const m = await serve([], { stallManifest: true });
    await failsWith(`${m.host}/x:1`, /^Get "http:\/\/127\.0\.0\.1:\d+\/v2\/x\/manifests\/1": no data for 2 s from the registry$/, 10_000);
  });

  it('refuses 126 layers and absurd layer sizes before downloading any layer', async () => {
    const many = await serve(Array.from({ length: 126 }, () => ({ size: 10, serve: endlessBody })));
    await failsWith(`${many.host}/x:1`, /^image has 126 layers, more than the 125 a container can mount$/, 5_000);
    assert.ok(many.sent.every((s) => s.bytes === 0));
    for (const size of [-1, 1e18]) {
      const r = await serve([{ size, serve: endlessBody }]);
      await failsWith(`${r.host}/x:1`, new RegExp(`^layer sha256:[0-9a-f]{64} declares an invalid size ${size === -1 ? '-1' : '1000000000000000000'}: not a byte count$`), 5_000);
      assert.equal(r.sent[0].bytes, 0);
    }
  });

  it('stops the other downloads of the pull when one layer fails, and removes their partial blobs', async () => {
    let slowSent = 0;
    const trickle = (res: import('node:http').ServerResponse, sent: { bytes: number }) => {
      res.writeHead(200);
      const timer = setInterval(() => { sent.bytes += 100; slowSent += 100; res.write(Buffer.alloc(100, 1)); }, 100);
      res.on('close', () => clearInterval(timer));
    };
    const r = await serve([{ size: 1 << 20, serve: trickle }, { size: 1 << 20, serve: trickle }, { size: 200_000, serve: endlessBody }]);
    await failsWith(`${r.host}/x:1`, /^layer sha256:[0-9a-f]{64}/, 5_000);
    const after = slowSent;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(slowSent, after, 'the slow downloads were closed');
  });
});
