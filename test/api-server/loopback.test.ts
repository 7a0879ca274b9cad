// --tcp serves only on a loopback address: the API gives root to whoever reaches it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLoopback } from '../../source/api-server/serve.js';

describe('strata system service --tcp', () => {
  it('takes loopback addresses', () => {
    assert.deepEqual(parseLoopback('127.0.0.1:2375'), { host: '127.0.0.1', port: 2375 });
    assert.deepEqual(parseLoopback('[::1]:0'), { host: '::1', port: 0 });
    assert.deepEqual(parseLoopback('localhost:80'), { host: 'localhost', port: 80 });
  });
  it('refuses any other address, and malformed ones', () => {
    assert.throws(() => parseLoopback('0.0.0.0:2375'), /refusing to serve the API on 0\.0\.0\.0: only a loopback address/);
    assert.throws(() => parseLoopback('192.168.1.2:2375'), /refusing/);
    assert.throws(() => parseLoopback('2375'), /invalid --tcp address "2375"/);
    assert.throws(() => parseLoopback('127.0.0.1:99999'), /invalid --tcp port/);
  });
});
