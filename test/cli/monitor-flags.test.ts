import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRestartPolicy } from '../../source/cli/monitor-flags.js';
import { containerHealthcheck } from '../../source/engine/containers/health-config.js';

describe('restart and health flags', () => {
  it('reads --restart as docker does', () => {
    assert.deepEqual(parseRestartPolicy('always'), { name: 'always', maximumRetryCount: 0 });
    assert.deepEqual(parseRestartPolicy('on-failure:5'), { name: 'on-failure', maximumRetryCount: 5 });
    assert.deepEqual(parseRestartPolicy('unless-stopped'), { name: 'unless-stopped', maximumRetryCount: 0 });
    assert.throws(() => parseRestartPolicy('always:3'), /maximum retry count can only be used with 'on-failure'/);
    assert.throws(() => parseRestartPolicy('sometimes'), /invalid restart policy: sometimes/);
    assert.throws(() => parseRestartPolicy('on-failure:x'), /invalid maximum retry count/);
  });

  it("merges --health-* over the image's HEALTHCHECK, and NONE disables it", () => {
    const image = { Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 30e9, Retries: 3 };
    assert.deepEqual(containerHealthcheck(image, { Test: [], Interval: 1e9 }), { Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 1e9, Retries: 3 });
    assert.deepEqual(containerHealthcheck(image, { Test: ['CMD-SHELL', 'true'] }), { Test: ['CMD-SHELL', 'true'], Interval: 30e9, Retries: 3 });
    assert.equal(containerHealthcheck(image, { Test: ['NONE'] }), undefined);
    assert.equal(containerHealthcheck({ Test: ['NONE'] }, undefined), undefined);
    assert.equal(containerHealthcheck(undefined, undefined), undefined);
  });
});
