// The cache key of a COPY reads every source byte: a file past 2 GiB (sparse here, so it costs no
// disk) is hashed a chunk at a time: no "file too large" error and no copy of it in memory.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { itemsDigest } from '../../../source/engine/build/copy-sources.js';
import { ContextFs } from '../../../source/engine/build/source-fs.js';

const SIZE = 2 ** 31 + (1 << 20); // past what one Buffer (readFileSync) can hold

describe('COPY cache key of a file past 2 GiB', { timeout: 300_000 }, () => {
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-copy-digest-'));
  after(() => fs.rmSync(ctx, { recursive: true, force: true }));

  it('is computed in bounded memory', () => {
    const big = path.join(ctx, 'big');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, SIZE);
    const items = [{ kind: 'tree' as const, fsys: new ContextFs(ctx), rel: 'big' }];
    const rssBefore = process.memoryUsage().rss;
    const first = itemsDigest(items);
    const grew = process.memoryUsage().rss - rssBefore;
    assert.ok(grew < 256 << 20, `hashing a ${SIZE >> 20} MiB file grew the RSS by ${grew >> 20} MiB`);
    assert.match(first, /^sha256:[0-9a-f]{64}$/);
  });
});
