// Reading a file out of a layer never leaves the layer: a live upper layer is writable by the
// container, which can swap a directory for a symlink to the host between scan and open.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { looksBinary, readLayerFile, saveLayerFile } from '../../../../source/engine/layers/trees/file-content.js';
import type { MergedNode } from '../../../../source/engine/layers/trees/merge.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-trees-content-'));
const node = (kind: MergedNode['kind'], size = 0, link?: string): MergedNode => ({ name: 'secret', kind, size, mode: 0o600, uid: 0, gid: 0, mtimeMs: 0, layer: 1, gen: 0, link });

describe('layer file content', () => {
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('refuses a path whose directory became a symlink out of the layer', async () => {
    const host = path.join(base, 'host');
    const layer = path.join(base, 'upper');
    fs.mkdirSync(host);
    fs.mkdirSync(layer);
    fs.writeFileSync(path.join(host, 'secret'), 'host secret');
    fs.symlinkSync(host, path.join(layer, 'd'));
    await assert.rejects(readLayerFile({ node: node('file', 11), rel: 'd/secret', layerDir: layer }, 1024), /moved while it was opened/);
    await assert.rejects(saveLayerFile({ node: node('file', 11), rel: 'd/secret', layerDir: layer }, path.join(base, 'out')), /moved while it was opened/);
    assert.equal(fs.existsSync(path.join(base, 'out')), false);
    // The last component is never followed either.
    fs.symlinkSync(path.join(host, 'secret'), path.join(layer, 'link'));
    await assert.rejects(readLayerFile({ node: node('file', 11), rel: 'link', layerDir: layer }, 1024), /cannot open \/link/);
  });

  it('saves a symlink as a symlink, into a directory under its own name', async () => {
    const out = path.join(base, 'saved');
    fs.mkdirSync(out);
    const where = await saveLayerFile({ node: node('symlink', 0, '../etc/x'), rel: 'bin/secret', layerDir: base }, out);
    assert.equal(where, path.join(out, 'secret'));
    assert.equal(fs.readlinkSync(where), '../etc/x');
  });

  it('tells text from binary, forgiving a character cut by the read limit', () => {
    assert.equal(looksBinary(Buffer.from('héllo'), false), false);
    assert.equal(looksBinary(Buffer.from('héllo').subarray(0, 2), true), false);
    assert.equal(looksBinary(Buffer.from('héllo').subarray(0, 2), false), true);
    assert.equal(looksBinary(Buffer.from('a\0b'), false), true);
  });
});
