// GNU tar's sparse members (`tar --sparse --format=posix`, formats 0.0, 0.1 and 1.0, made here by
// GNU tar itself) are extracted as the files they were: the same bytes, the same size, the holes
// holes (no disk blocks). A sparse map that reaches past its file, or a sparse name that leaves
// the layer, is refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { extractLayer } from '../../../source/engine/layers/extract.js';
import { makeTar, tempDir } from './tar-fixtures.js';

const SIZE = 64 << 20;
const REGIONS: Array<[number, string]> = [[0, 'head'], [20 << 20, 'middle'], [SIZE - 4, 'tail']];

function sparseSource(dir: string): string {
  const src = path.join(dir, 'src');
  fs.mkdirSync(path.join(src, 'data'), { recursive: true });
  const file = path.join(src, 'data', 'sparse.img');
  const fd = fs.openSync(file, 'w');
  for (const [offset, text] of REGIONS) fs.writeSync(fd, text, offset);
  fs.ftruncateSync(fd, SIZE);
  fs.closeSync(fd);
  return src;
}

for (const version of ['0.0', '0.1', '1.0']) {
  test(`GNU sparse format ${version}: holes stay holes, bytes and size are the file's`, async (t) => {
    const tmp = tempDir();
    t.after(tmp.remove);
    const src = sparseSource(tmp.dir);
    const tar = execFileSync('tar', ['--sparse', '--format=posix', `--sparse-version=${version}`, '-C', src, '-cf', '-', 'data'], { maxBuffer: 1 << 26 });
    assert.ok(tar.length < 1 << 20, `GNU tar wrote ${tar.length} bytes: not a sparse member`);
    const layer = path.join(tmp.dir, 'layer');
    fs.mkdirSync(layer);
    const result = await extractLayer(Readable.from([tar]), layer);
    assert.deepEqual(fs.readdirSync(path.join(layer, 'data')), ['sparse.img'], 'the entry is not under its real name');
    const out = path.join(layer, 'data', 'sparse.img');
    const st = fs.statSync(out);
    assert.equal(st.size, SIZE);
    assert.ok(st.blocks * 512 < 1 << 20, `${st.blocks * 512} bytes on disk: the holes were written`);
    const fd = fs.openSync(out, 'r');
    for (const [offset, text] of REGIONS) {
      const got = Buffer.alloc(text.length);
      fs.readSync(fd, got, 0, text.length, offset);
      assert.equal(got.toString(), text);
    }
    const between = Buffer.alloc(4096, 1);
    fs.readSync(fd, between, 0, between.length, 10 << 20);
    fs.closeSync(fd);
    assert.ok(between.every((b) => b === 0), 'a hole reads other than zeros');
    assert.equal(result.size, SIZE);
  });
}

test('a sparse map past its file, or a sparse name outside the layer, is refused', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const attempt = async (name: string, pax: Record<string, string>) => {
    const layer = path.join(tmp.dir, `layer-${Math.random().toString(16).slice(2)}`);
    fs.mkdirSync(layer);
    const tar = await makeTar([{ name, data: 'xxxx', pax }]);
    await assert.rejects(extractLayer(Readable.from([tar]), layer), /layer entry|invalid|outside|escape/i);
    return layer;
  };
  await attempt('f', { 'GNU.sparse.size': '10', 'GNU.sparse.map': '8,4', 'GNU.sparse.numblocks': '1' });
  await attempt('f', { 'GNU.sparse.size': '100', 'GNU.sparse.map': '0,2', 'GNU.sparse.numblocks': '1' }); // 4 bytes of data, 2 mapped
  await attempt('./GNUSparseFile.1/f', { 'GNU.sparse.size': '100', 'GNU.sparse.map': '0,4', 'GNU.sparse.name': '../../../escaped' });
  assert.ok(!fs.existsSync(path.join(tmp.dir, 'escaped')) && !fs.existsSync(path.join(path.dirname(tmp.dir), 'escaped')), 'a sparse name wrote outside the layer');
});
