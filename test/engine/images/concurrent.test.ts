import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestHex } from '../../../source/engine/content/digest.js';
import { ImageService } from '../../../source/engine/images/image-service.js';
import { busyboxRootfsTar, makeTar, sha256, tempDir } from '../layers/tar-fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'import-worker.ts'), ...args], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`worker ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

test('imports from several processes at once, with removals in between, leave a consistent store', async (t) => {
  const tmp = tempDir('strata-concurrent-');
  t.after(tmp.remove);
  const root = path.join(tmp.dir, 'root');
  const shared = path.join(tmp.dir, 'shared.tar');
  const churn = path.join(tmp.dir, 'churn.tar');
  const sharedTar = await busyboxRootfsTar();
  fs.writeFileSync(shared, sharedTar);
  fs.writeFileSync(churn, await makeTar([{ name: 'churn', data: 'c'.repeat(100_000) }]));
  new ImageService(root); // lays out the root once, as the engine does

  const workers = 4;
  const rounds = 3;
  await Promise.all([
    ...Array.from({ length: workers }, (_, w) => run(['import', root, shared, `app/w${w}`, String(rounds)])),
    run(['churn', root, churn, '4']),
    run(['churn', root, churn, '4']),
  ]);

  const images = new ImageService(root);
  assert.deepEqual(await images.check(), []);
  const list = await images.list();
  // Two imports of the same tar in the same millisecond make byte-identical configs: one image, two tags.
  assert.ok(list.length >= 1 && list.length <= workers * rounds);
  const tags = list.flatMap((i) => i.repoTags).sort();
  assert.deepEqual(tags, Array.from({ length: workers }, (_, w) => Array.from({ length: rounds }, (_, i) => `app/w${w}-${i}:latest`)).flat().sort());
  const layer = sha256(sharedTar);
  assert.deepEqual(fs.readdirSync(images.paths.layersDir), [digestHex(layer)], 'one extracted layer, no churn layer, no temp dir');
  for (const tag of tags) {
    const record = await images.resolve(tag);
    assert.deepEqual(record.chainIds, [layer]);
    assert.ok(fs.existsSync(path.join(images.layerDirs(record)[0], 'bin/busybox')));
  }
  assert.deepEqual(fs.readdirSync(images.paths.tmpDir), []);
  assert.equal((await images.content.list()).length, 1 + 2 * list.length, 'the layer blob, and a config and manifest per image: nothing else');
  assert.ok(!fs.existsSync(images.paths.gcPendingFile), 'the deferred collection ran when the last ingest ended');
});
