// Detach keys on an attached stdin: the sequence detaches and never reaches the container;
// a partial sequence followed by something else is passed on whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETACH_KEYS, detachFilter, parseDetachKeys } from '../../source/api-server/detach-keys.js';

async function through(keys: number[], chunks: Buffer[]): Promise<{ out: string; detached: boolean }> {
  let detached = false;
  const filter = detachFilter(keys, () => { detached = true; });
  let out = '';
  filter.on('data', (c: Buffer) => { out += c.toString('latin1'); });
  for (const c of chunks) filter.write(c);
  filter.end();
  await new Promise((resolve) => filter.once('end', resolve));
  return { out, detached };
}

describe('detach keys', () => {
  it('parses docker\'s syntax', () => {
    assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), DEFAULT_DETACH_KEYS);
    assert.deepEqual(parseDetachKeys('ctrl-a,x'), [1, 120]);
    assert.equal(parseDetachKeys('ctrl-1'), undefined);
    assert.equal(parseDetachKeys('shift-q'), undefined);
  });
  it('detaches on the sequence, across chunks, and keeps it from the container', async () => {
    const r = await through(DEFAULT_DETACH_KEYS, [Buffer.from('ls\n\x10'), Buffer.from('\x11after')]);
    assert.equal(r.detached, true);
    assert.equal(r.out, 'ls\n');
  });
  it('passes a broken sequence on whole', async () => {
    const r = await through(DEFAULT_DETACH_KEYS, [Buffer.from('a\x10b\x10\x10c')]);
    assert.equal(r.detached, false);
    assert.equal(r.out, 'a\x10b\x10\x10c');
  });
});
