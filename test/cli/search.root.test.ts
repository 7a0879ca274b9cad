// `strata search host:port/TERM` against Debian's docker-registry: its catalog, filtered by the
// term, in docker's NAME/DESCRIPTION/STARS/OFFICIAL table, --limit and --format.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../source/engine/engine.js';
import { main as search } from '../../source/cli/search.js';
import { makeTar } from '../engine/layers/tar-fixtures.js';
import { pushRawImage } from '../engine/registry/raw-image.js';
import { startRegistry, type RegistryServer } from '../engine/registry/registry-server.js';
import { verbIo } from './verb-io.js';

describe('strata search', { timeout: 120_000 }, () => {
  let registry: RegistryServer;
  let engine: Engine;
  let work = '';
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-search-'));
    engine = new Engine({ root: path.join(work, 'root'), runtimeDir: path.join(work, 'run') });
    registry = await startRegistry();
    const layer = await makeTar([{ name: 'hello.txt', data: Buffer.from('hi\n') }]);
    for (const repo of ['team/web-app', 'team/webhook', 'tools/db']) await pushRawImage(registry.host, repo, '1', [layer]);
  });
  after(async () => {
    await registry?.stop();
    await engine?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("lists the registry's repositories that contain the term, in docker's columns", async () => {
    const io = verbIo(engine);
    assert.equal(await search('search', [`${registry.host}/web`], io.ctx), 0);
    const lines = io.stdout.text.trimEnd().split('\n');
    assert.match(lines[0], /^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2)), [[`${registry.host}/team/web-app`, '0'], [`${registry.host}/team/webhook`, '0']]);
  });

  it('keeps to --limit and renders --format', async () => {
    const io = verbIo(engine);
    assert.equal(await search('search', ['--limit', '1', '--format', '{{.Name}}|{{.StarCount}}|{{.IsOfficial}}', `${registry.host}/team`], io.ctx), 0);
    assert.equal(io.stdout.text, `${registry.host}/team/web-app|0|\n`);
    const none = verbIo(engine);
    assert.equal(await search('search', ['--filter', 'is-official=true', `${registry.host}/db`], none.ctx), 0);
    assert.equal(none.stdout.text, 'NAME      DESCRIPTION   STARS     OFFICIAL\n');
    await assert.rejects(search('search', ['--filter', 'colour=red', `${registry.host}/db`], verbIo(engine).ctx), /invalid filter 'colour'/);
  });
});
