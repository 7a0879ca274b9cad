// The subordinate id files as /etc/subuid and /etc/subgid have them: strata's entry added once
// without moving other lines, placed clear of other users' ranges, and ranges handed out disjoint.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  allocateRange, chooseStrataEntry, ensureStrataEntry, newIdMapping, parseSubordinate, RANGE_SIZE,
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
    const files = { subuid: path.join(dir, 'u2'), subgid: path.join(dir, 'g2') };
    const a = newIdMapping([], files);
    const b = newIdMapping([a], files);
    assert.equal(b.uidStart, a.uidStart + RANGE_SIZE);
    assert.equal(newIdMapping([b], files).uidStart, a.uidStart, 'a freed range is given again');
  });

  it('says so when every range is taken', () => {
    const tiny = { name: 'strata', start: 1_000_000_000, count: RANGE_SIZE };
    const taken = allocateRange(tiny, tiny, []);
    assert.throws(() => allocateRange(tiny, tiny, [taken]), /no free subordinate id range for --userns=auto/);
  });
});
