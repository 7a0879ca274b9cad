// A gzip bomb (a few hundred KiB inflating to a GiB of zeros) stops as it inflates, at the
// configured bound on a layer's uncompressed size, on either extraction path and at import;
// nothing of it stays on disk.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { Engine } from '../../../source/engine/engine.js';
import { LayerStore } from '../../../source/engine/layers/layer-store.js';
import { configuredMaxLayerBytes, DEFAULT_MAX_LAYER_BYTES } from '../../../source/engine/layers/limits.js';
import { StorePaths } from '../../../source/engine/store/paths.js';
import { tempDir } from './tar-fixtures.js';

const BOMB_BYTES = 1 << 30;
const LIMIT = 16 << 20;

/** One file of BOMB_BYTES zeros, tarred and gzipped as it is made (never whole in memory). */
async function makeBomb(): Promise<Buffer> {
  const pack = tar.pack();
  const gz = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    gz.on('data', (c: Buffer) => out.push(c)).on('end', resolve).on('error', reject);
  });
  pack.pipe(gz);
  const entry = pack.entry({ name: 'zeros', size: BOMB_BYTES });
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < BOMB_BYTES / zeros.length; i++) if (!entry.write(zeros)) await new Promise<void>((r) => entry.once('drain', () => r()));
  entry.end(() => {});
  pack.finalize();
  await done;
  return Buffer.concat(out);
}

const TOO_LARGE = new RegExp(`^layer is larger than ${LIMIT} bytes uncompressed, the most one layer may be \\(layers\\.maxUncompressedBytes in the config file\\)$`);

describe('a gzip bomb', () => {
  let bomb: Buffer;
  before(async () => { bomb = await makeBomb(); });

  for (const offThread of [false, true]) {
    it(`stops at the bound while extracting (${offThread ? 'worker thread' : 'main thread'})`, async (t) => {
      const tmp = tempDir();
      t.after(tmp.remove);
      const paths = new StorePaths(tmp.dir);
      paths.ensure();
      const layers = new LayerStore(paths, LIMIT);
      assert.ok(bomb.length < 4 << 20, `the bomb is ${bomb.length} bytes`);
      const started = Date.now();
      await assert.rejects(layers.create(null, Readable.from([bomb]), { offThread }), (err: Error) => {
        assert.equal(err.name, 'EngineError');
        assert.match(err.message, TOO_LARGE);
        return true;
      });
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      assert.deepEqual(fs.readdirSync(paths.layersDir).filter((n) => n !== 'tmp'), [], 'no layer dir left');
    });
  }

  it('is refused by import with the bound from the config file, leaving nothing', async (t) => {
    const tmp = tempDir();
    t.after(tmp.remove);
    const home = path.join(tmp.dir, 'home');
    fs.mkdirSync(path.join(home, 'strata-nodejs'), { recursive: true });
    fs.writeFileSync(path.join(home, 'strata-nodejs', 'config.json'), JSON.stringify({ layers: { maxUncompressedBytes: LIMIT } }));
    assert.equal(configuredMaxLayerBytes({ XDG_CONFIG_HOME: home }), LIMIT);
    assert.equal(configuredMaxLayerBytes({ XDG_CONFIG_HOME: path.join(tmp.dir, 'none') }), DEFAULT_MAX_LAYER_BYTES);
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = home;
    const engine = new Engine({ root: path.join(tmp.dir, 'root'), runtimeDir: path.join(tmp.dir, 'run') });
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
    try {
      await assert.rejects(engine.importImage(Readable.from([bomb]), 'bomb:1'), (err: Error) => TOO_LARGE.test(err.message));
      assert.deepEqual(await engine.listImages(), []);
      assert.deepEqual(fs.readdirSync(path.join(tmp.dir, 'root', 'tmp')), [], 'no temp blob');
      const blobs = path.join(tmp.dir, 'root', 'blobs', 'sha256');
      assert.deepEqual(fs.existsSync(blobs) ? fs.readdirSync(blobs) : [], []);
    } finally {
      await engine.close();
    }
  });
});
