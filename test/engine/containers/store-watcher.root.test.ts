// The store watcher: another process's tag, rmi, volume and network changes reach this
// engine's listeners as store-changed events within a second, by file watches (no polling).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent, StoreTopic } from '../../../source/engine/api.js';
import { Engine } from '../../../source/engine/engine.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../../support/test-engine.js';

describe('store watcher', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, () => {
  let t: TestEngine;
  let other: Engine; // another strata process on the same store
  const seen: StoreTopic[] = [];
  let stop: () => void;

  before(async () => {
    t = await makeTestEngine();
    other = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    stop = t.engine.on((e: EngineEvent) => { if (e.type === 'store-changed') seen.push(e.what); }, { watchStore: true });
  });
  after(async () => {
    stop();
    await other.close();
    await t.cleanup();
  });

  async function changes(what: StoreTopic, change: () => Promise<unknown>): Promise<void> {
    seen.length = 0;
    const started = Date.now();
    await change();
    while (!seen.includes(what)) {
      assert.ok(Date.now() - started < 1000, `no store-changed ${what} within a second (saw ${seen.join(', ') || 'nothing'})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('tells of images tagged and removed elsewhere', async () => {
    await changes('images', () => other.tagImage(IMAGE, 'elsewhere/tagged:1'));
    await changes('images', () => other.removeImage('elsewhere/tagged:1'));
  });

  it('tells of volumes created and removed elsewhere, the volumes dir made after the watch began', async () => {
    await changes('volumes', () => other.createVolume('watched'));
    await changes('volumes', () => other.removeVolume('watched'));
  });

  it('tells of networks created and removed elsewhere', async () => {
    await changes('networks', () => other.createNetwork('watchednet'));
    await changes('networks', () => other.removeNetwork('watchednet'));
  });

  it('still tells of containers', async () => {
    await changes('containers', () => other.createContainer({ image: IMAGE, name: 'watched', cmd: ['true'] }));
    await changes('containers', () => other.removeContainer('watched'));
  });
});
