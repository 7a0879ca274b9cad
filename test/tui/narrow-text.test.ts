// The build's fast path for string-width (scripts/narrow-text.mjs): every character it calls one
// column wide is one column wide by string-width's own reckoning, alone and in a row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { NARROW_TEXT_SOURCE } from '../../scripts/narrow-text.mjs';

const narrow = new RegExp(NARROW_TEXT_SOURCE);

test('every character the fast path takes as one column is one column to string-width', () => {
  const taken: string[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) {
    const ch = String.fromCharCode(cp);
    if (!narrow.test(ch)) continue;
    taken.push(ch);
    assert.equal(stringWidth(ch), 1, `U+${cp.toString(16).padStart(4, '0')} ${ch}`);
  }
  assert.ok(taken.length > 1000);
  const all = taken.join('');
  assert.equal(stringWidth(all), all.length);
  assert.ok(!narrow.test('a\u0301'), 'a combining mark is not taken');
  assert.ok(!narrow.test('中'), 'a wide character is not taken');
  assert.ok(!narrow.test('\u00ad'), 'the soft hyphen is not taken');
});
