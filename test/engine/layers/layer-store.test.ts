import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EngineError } from '../../../source/engine/api.js';
import { chainId } from '../../../source/engine/layers/chain-id.js';
import { makeTar, sha256, tempLayerStore } from './tar-fixtures.js';

test('create extracts by chainID, records the layer and reuses it for the same chainID', async (t) => {
  const { paths, layers } = tempLayerStore(t);
  const base = await makeTar([{ name: 'etc/os', data: 'base' }]);
  const top = await makeTar([{ name: 'etc/os', data: 'top' }, { name: 'etc/.wh.gone' }]);
  const first = await layers.create(null, Readable.from([base]), { blobDigest: sha256(base) });
  assert.equal(first.reused, false);
  assert.equal(first.record.chainId, sha256(base));
  assert.equal(first.record.diffId, sha256(base));
  assert.equal(first.record.parent, null);
  assert.equal(first.record.size, 4);
  assert.equal(first.record.blobDigest, sha256(base));
  assert.equal(fs.readFileSync(path.join(layers.diffDir(first.record.chainId), 'etc/os'), 'utf8'), 'base');

  const second = await layers.create(first.record.chainId, Readable.from([top]));
  assert.equal(second.record.chainId, chainId(first.record.chainId, sha256(top)));
  assert.equal(second.record.parent, first.record.chainId);
  assert.deepEqual((await layers.list()).sort(), [first.record.chainId, second.record.chainId].sort());

  const again = await layers.create(null, Readable.from([base]));
  assert.equal(again.reused, true);
  assert.deepEqual(again.record, first.record, 'the stored record is kept');
  const opened: string[] = [];
  const viaEnsure = await layers.ensure(null, sha256(base), async () => { opened.push('opened'); return Readable.from([base]); });
  assert.equal(viaEnsure.reused, true);
  assert.deepEqual(opened, [], 'a present chainID is not even read again');
  assert.equal(await layers.layerSize(first.record.chainId), 4);
  assert.deepEqual(fs.readdirSync(paths.layersDir).filter((n) => n.startsWith('tmp-')), []);
  assert.deepEqual(await layers.check(true), []);
});

test('a diffID that does not match is refused and nothing is kept', async (t) => {
  const { paths, layers } = tempLayerStore(t);
  const tar = await makeTar([{ name: 'a', data: 'a' }]);
  const claimed = sha256(Buffer.from('something else'));
  await assert.rejects(layers.ensure(null, claimed, async () => Readable.from([tar])),
    (e: unknown) => e instanceof EngineError && e.code === 'invalid' && e.message.includes(claimed));
  assert.deepEqual(fs.readdirSync(paths.layersDir), []);
});

test('remove deletes the layer; check reports missing diffs and leftovers', async (t) => {
  const { paths, layers } = tempLayerStore(t);
  const a = await layers.create(null, Readable.from([await makeTar([{ name: 'a', data: 'a' }])]));
  const b = await layers.create(null, Readable.from([await makeTar([{ name: 'b', data: 'b' }])]));
  assert.equal(await layers.remove(a.record.chainId), true);
  assert.equal(layers.has(a.record.chainId), false);
  assert.equal(await layers.remove(a.record.chainId), false);
  fs.rmSync(layers.diffDir(b.record.chainId), { recursive: true });
  fs.mkdirSync(path.join(paths.layersDir, 'tmp-123-abc'));
  const problems = await layers.check(true);
  assert.deepEqual(problems.map((p) => p.kind).sort(), ['layer-missing', 'temp-file']);
  assert.deepEqual((await layers.check(false)).map((p) => p.kind), ['layer-missing'], 'temps are live while an ingest runs');
});
