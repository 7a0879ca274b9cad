import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { drainOrClose } from '../../../source/engine/layers/backpressure.js';

test('a wait for drain or close leaves no listener behind, whichever ends it', async () => {
  const stream = new EventEmitter();
  for (let i = 0; i < 20; i++) {
    const waiting = drainOrClose(stream);
    stream.emit('drain');
    await waiting;
  }
  assert.equal(stream.listenerCount('drain') + stream.listenerCount('close'), 0);
  const closing = drainOrClose(stream);
  stream.emit('close');
  await closing;
  assert.equal(stream.listenerCount('drain') + stream.listenerCount('close'), 0);
});
