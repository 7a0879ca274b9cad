// FROM an image the store does not have: pulled from its registry first, as docker's builder
// does (a real docker-registry on 127.0.0.1, the base pushed there by another store).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { startRegistry, type RegistryServer } from '../registry/registry-server.js';
import type { BuildEvent } from '../../../source/engine/build/types.js';

let registry: RegistryServer;
let source: TestEngine;
let builder: TestEngine;
let base = '';

before(async () => {
  registry = await startRegistry();
  source = await makeTestEngine();
  builder = await makeTestEngine({ importBusybox: false });
  base = `${registry.host}/base/busybox:1`;
  await source.engine.tagImage(IMAGE, base);
  await source.engine.pushImage(base);
});

after(async () => {
  await builder?.cleanup();
  await source?.cleanup();
  await registry?.stop();
});

function context(dockerfile: string): string {
  const dir = fs.mkdtempSync(path.join(builder.base, 'ctx-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

test('a missing base image is pulled, then built upon', async () => {
  const events: BuildEvent[] = [];
  const result = await builder.engine.build({ context: context(`FROM ${base}\nRUN echo built > /built\n`), tags: ['pulled/app:1'], onEvent: (e) => events.push(e) });
  assert.ok(events.some((e) => e.type === 'output' && e.text === `Pulling ${base}\n`), 'says it pulls');
  assert.ok(result.imageId.startsWith('sha256:'));
  const r = await runToEnd(builder.engine, ['cat', '/built'], { image: 'pulled/app:1', network: 'none' });
  assert.equal(r.stdout, 'built\n');
});

test('a base that no registry has fails the build on its FROM line', async () => {
  await assert.rejects(
    builder.engine.build({ context: context(`FROM ${registry.host}/base/nothing:1\nRUN true\n`), tags: ['never/app:1'] }),
    (err: Error) => /^Dockerfile:1: FROM .*nothing:1: .*not found/.test(err.message),
  );
  await assert.rejects(builder.engine.inspectImage('never/app:1'));
});

test('--pull fetches a newer base even when the store has one; without it the local base is used', async () => {
  const v2 = await source.engine.build({ context: context('FROM test/busybox:latest\nRUN echo v2 > /marker\n'), tags: [base] });
  assert.ok(v2.imageId);
  await source.engine.pushImage(base);
  const dockerfile = `FROM ${base}\nRUN cat /marker > /seen 2>/dev/null || echo stale > /seen\n`;
  await builder.engine.build({ context: context(dockerfile), tags: ['pulled/stale:1'] });
  const stale = await runToEnd(builder.engine, ['cat', '/seen'], { image: 'pulled/stale:1', network: 'none' });
  assert.equal(stale.stdout, 'stale\n');
  await builder.engine.build({ context: context(dockerfile), tags: ['pulled/fresh:1'], pull: true });
  const fresh = await runToEnd(builder.engine, ['cat', '/seen'], { image: 'pulled/fresh:1', network: 'none' });
  assert.equal(fresh.stdout, 'v2\n');
});
