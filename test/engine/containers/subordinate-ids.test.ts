// The subordinate id files as /etc/subuid and /etc/subgid have them: strata's entry added once
// without moving other lines, placed clear of other users' ranges, and ranges handed out disjoint.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  allocateRange, chooseStrataEntry, ensureStrataEntry, newIdMapping, parseSubordinate, RANGE_SIZE, releaseIdMapping,
} from '../../../source/engine/containers/subordinate-ids.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-subids-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('subordinate ids', () => {
  it('parses NAME:START:COUNT lines and skips the rest', () => {
    assert.deepEqual(parseSubordinate('alice:100000:65536\n# comment\nbroken\nbob:165536:65536\n'), [
      { name: 'alice', start: 100000, count: 65536 },
      { name: 'bob', start: 165536, count: 65536 },
    ]);
  });

  it('places strata clear of ranges that reach its default start', () => {
    const free = chooseStrataEntry([{ name: 'alice', start: 100000, count: 65536 }]);
    assert.equal(free.start, 1_000_000_000);
    const pushed = chooseStrataEntry([{ name: 'containers', start: 999_000_000, count: 100_000_000 }]);
    assert.ok(pushed.start >= 1_099_000_000, `overlaps: ${pushed.start}`);
    assert.equal(pushed.start % RANGE_SIZE, 0);
  });

  it('appends its entry once, keeping the other lines as they were', () => {
    const file = path.join(dir, 'subuid');
    fs.writeFileSync(file, 'alice:100000:65536'); // no newline at the end
    const first = ensureStrataEntry(file);
    const again = ensureStrataEntry(file);
    assert.deepEqual(again, first);
    assert.equal(fs.readFileSync(file, 'utf8'), `alice:100000:65536\nstrata:${first.start}:${first.count}\n`);
  });

  it('creates missing files and hands out disjoint ranges, the first free one first', () => {
    const files = { subuid: path.join(dir, 'u2'), subgid: path.join(dir, 'g2'), claims: path.join(dir, 'claims2') };
    const storeA = path.join(dir, 'store-a');
    const a = newIdMapping(path.join(storeA, 'c1'), [], files);
    const b = newIdMapping(path.join(dir, 'store-b', 'c2'), [], files); // another store, same host
    assert.equal(b.uidStart, a.uidStart + RANGE_SIZE);
    assert.equal(newIdMapping(path.join(dir, 'store-b', 'c3'), [a, b], files).uidStart, a.uidStart + 2 * RANGE_SIZE);
  });

  it('frees a claim once its container directory is gone and its creator has exited', () => {
    const files = { subuid: path.join(dir, 'u3'), subgid: path.join(dir, 'g3'), claims: path.join(dir, 'claims3') };
    const kept = path.join(dir, 'kept');
    fs.mkdirSync(kept);
    const a = newIdMapping(kept, [], files);
    const gone = newIdMapping(path.join(dir, 'never-made'), [], files);
    // as a claim left by an exited process would read
    const file = path.join(files.claims, String(gone.uidStart));
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), pid: 2 ** 22 + 1 }));
    const again = newIdMapping(path.join(dir, 'next'), [], files);
    assert.equal(again.uidStart, gone.uidStart, 'the stale claim was not freed');
    assert.notEqual(again.uidStart, a.uidStart);
    releaseIdMapping(a, path.join(dir, 'someone-else'), files);
    assert.ok(fs.existsSync(path.join(files.claims, String(a.uidStart))), 'released another container\'s claim');
    releaseIdMapping(a, kept, files);
    assert.ok(!fs.existsSync(path.join(files.claims, String(a.uidStart))), 'the removed container\'s claim stayed');
  });

  it('says so when every range is taken', () => {
    const tiny = { name: 'strata', start: 1_000_000_000, count: RANGE_SIZE };
    const taken = allocateRange(tiny, tiny, []);
    assert.throws(() => allocateRange(tiny, tiny, [taken]), /no free subordinate id range for --userns=auto/);
  });
});
