import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { EngineError } from '../../../source/engine/api.js';
import { ContentStore } from '../../../source/engine/content/content-store.js';
import { digestHex } from '../../../source/engine/content/digest.js';
import { StorePaths } from '../../../source/engine/store/paths.js';
import { sha256, tempDir } from '../layers/tar-fixtures.js';

function setup(t: { after(fn: () => void): void }): { store: ContentStore; paths: StorePaths } {
  const tmp = tempDir();
  t.after(tmp.remove);
  const paths = new StorePaths(tmp.dir);
  paths.ensure();
  return { store: new ContentStore(paths), paths };
}

test('put stores a Buffer or a stream under its sha256 and reads it back', async (t) => {
  const { store, paths } = setup(t);
  const data = Buffer.from('hello blob\n');
  const a = await store.put(data);
  assert.deepEqual(a, { digest: sha256(data), size: data.length });
  const big = Buffer.alloc(3 << 20, 7);
  const b = await store.put(Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
  assert.equal(b.digest, sha256(big));
  assert.equal(await store.size(b.digest), big.length);
  assert.ok(await store.has(a.digest));
  assert.deepEqual(await store.get(a.digest), data);
  const chunks: Buffer[] = [];
  for await (const c of await store.open(b.digest)) chunks.push(c as Buffer);
  assert.ok(Buffer.concat(chunks).equals(big));
  assert.deepEqual((await store.list()).sort(), [a.digest, b.digest].sort());
  assert.equal(fs.readFileSync(paths.blob(digestHex(a.digest)), 'utf8'), 'hello blob\n');
  assert.deepEqual(fs.readdirSync(paths.tmpDir), [], 'no temp file is left behind');
  // Storing the same bytes again is a no-op that reports the same digest.
  assert.deepEqual(await store.put(data), a);
});

test('putVerified refuses content whose digest differs and stores nothing', async (t) => {
  const { store, paths } = setup(t);
  const data = Buffer.from('the real bytes');
  const wrong = sha256(Buffer.from('other bytes'));
  await assert.rejects(store.putVerified(Readable.from([data]), wrong), (e: unknown) =>
    e instanceof EngineError && e.code === 'invalid' && e.message.includes(wrong) && e.message.includes(sha256(data)));
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(fs.readdirSync(paths.tmpDir), []);
  assert.equal((await store.putVerified(Readable.from([data]), sha256(data))).digest, sha256(data));
  await assert.rejects(store.putVerified(Readable.from([data]), 'sha256:nothex'), /invalid digest/);
});

test('a failing source leaves no blob and no temp file', async (t) => {
  const { store, paths } = setup(t);
  async function* failing() {
    yield Buffer.from('partial');
    throw new Error('network went away');
  }
  await assert.rejects(store.put(failing()), (e: unknown) => e instanceof EngineError && /cannot store blob: network went away/.test(e.message));
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(fs.readdirSync(paths.tmpDir), []);
});

test('missing blobs are not-found EngineErrors; delete is idempotent', async (t) => {
  const { store } = setup(t);
  const absent = sha256(Buffer.from('never stored'));
  await assert.rejects(store.get(absent), (e: unknown) => e instanceof EngineError && e.code === 'not-found' && e.message.includes(absent));
  await assert.rejects(store.open(absent), (e: unknown) => e instanceof EngineError && e.code === 'not-found');
  const { digest } = await store.put(Buffer.from('x'));
  assert.equal(await store.delete(digest), true);
  assert.equal(await store.delete(digest), false);
  assert.equal(await store.has(digest), false);
});

test('check() re-hashes every blob and reports corruption and strays', async (t) => {
  const { store, paths } = setup(t);
  const good = await store.put(Buffer.from('good'));
  const bad = await store.put(Buffer.from('will be damaged'));
  assert.deepEqual(await store.check(), []);
  fs.writeFileSync(paths.blob(digestHex(bad.digest)), 'will be DAMAGED');
  fs.writeFileSync(`${paths.blobsDir}/stray`, '');
  const problems = await store.check();
  assert.equal(problems.length, 2);
  const corrupt = problems.find((p) => p.kind === 'blob-digest');
  assert.ok(corrupt);
  assert.equal(corrupt.path, paths.blob(digestHex(bad.digest)));
  assert.ok(problems.some((p) => p.kind === 'unexpected-entry' && p.path.endsWith('/stray')));
  assert.ok(!problems.some((p) => p.path.includes(digestHex(good.digest))));
});

test('a writer gathers small writes into batches and the blob comes out byte for byte', async (t) => {
  const { store, paths } = setup(t);
  const data = Buffer.from(Array.from({ length: (5 << 20) + 333 }, (_, i) => (i * 7919) % 251));
  const writer = await store.writer(sha256(data));
  for (let i = 0, n = 1; i < data.length; i += n, n = (n * 3) % 70_001 + 1) await writer.write(data.subarray(i, i + n)); // pieces of 1 B to 70 KB
  assert.equal(writer.digest(), sha256(data), 'hashed as written, before anything is flushed');
  assert.deepEqual(await writer.commit(), { digest: sha256(data), size: data.length });
  assert.ok((await store.get(sha256(data))).equals(data));

  const dropped = await store.writer();
  await dropped.write(data);
  await dropped.write(data.subarray(0, 10)); // still queued when aborted
  await dropped.abort();
  assert.deepEqual(fs.readdirSync(paths.tmpDir), [], 'an aborted writer leaves no temp file');
});
