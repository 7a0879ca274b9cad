// docker's "Created": a container that never ran reads Created in ps and "created" in inspect's
// State.Status — also after a start that failed (its exit code and error kept) — while one that
// ran and exited reads "Exited (N) … ago"; the exited filter skips the never-started one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as ps } from '../../source/cli/ps.js';
import { main as inspect } from '../../source/cli/inspect.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { verbIo } from './verb-io.js';

describe('Created and Exited as docker shows them', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(() => t.cleanup());

  const psStatus = async (name: string, extra: string[] = []) => {
    const io = verbIo(t.engine);
    assert.equal(await ps('ps', ['-a', '--filter', `name=${name}`, '--format', '{{.Status}}|{{.State}}', ...extra], io.ctx), 0);
    return io.stdout.text.trim();
  };
  const stateOf = async (name: string) => {
    const io = verbIo(t.engine);
    assert.equal(await inspect('inspect', ['-f', '{{.State.Status}} {{.State.ExitCode}}', name], io.ctx), 0);
    return io.stdout.text.trim();
  };

  it('never started, failed to start, ran and exited', async () => {
    await t.engine.createContainer({ image: IMAGE, name: 'never', cmd: ['true'] });
    const failed = await t.engine.createContainer({ image: IMAGE, name: 'failed', cmd: ['/no/such/command'] });
    await assert.rejects(t.engine.startContainer(failed.id));
    const ran = await t.engine.createContainer({ image: IMAGE, name: 'ran', cmd: ['sh', '-c', 'exit 3'] });
    await t.engine.startContainer(ran.id);
    assert.equal(await t.engine.waitContainer(ran.id), 3);

    assert.equal(await psStatus('never'), 'Created|created');
    assert.equal(await stateOf('never'), 'created 0');
    assert.equal(await psStatus('failed'), 'Created|created');
    assert.equal(await stateOf('failed'), 'created 127');
    assert.match(await psStatus('ran'), /^Exited \(3\) .+ ago\|exited$/);
    assert.equal(await stateOf('ran'), 'exited 3');
    assert.equal(await psStatus('failed', ['--filter', 'exited=127']), '');
    assert.equal(await psStatus('failed', ['--filter', 'status=created']), 'Created|created');
  });
});
