// Bad input to the built CLI (dist/strata.js) gets one line naming what was wrong and docker's
// exit code — never a stack trace or a store path: a directory given to import or load, an
// archive whose RepoTags hold a number, volume and network names too long for a file name.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { releaseNetworksUnder } from '../support/test-engine.js';
import { makeTar, sha256 } from '../engine/layers/tar-fixtures.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/strata.js');
const skip = !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;

describe('bad input to the CLI', { skip }, () => {
  let work = '';
  before(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-bad-')); });
  after(async () => {
    await releaseNetworksUnder(work);
    fs.rmSync(work, { recursive: true, force: true });
  });

  function fails(args: string[], status: number, message: RegExp): void {
    const r: SpawnSyncReturns<Buffer> = spawnSync(process.execPath, [cli, '--root', path.join(work, 'root'), '--runtime-dir', path.join(work, 'run'), ...args], { input: '', timeout: 60_000 });
    const stderr = r.stderr.toString();
    assert.equal(r.status, status, `strata ${args.join(' ').slice(0, 80)}: exit ${r.status}\n${stderr}`);
    assert.match(stderr, /^strata: [^\n]+\n$/, `one line: ${stderr}`);
    assert.match(stderr, message);
    assert.ok(!stderr.includes(path.join(work, 'root')), 'no store path');
  }

  it('a directory given to import or load', () => {
    fails(['import', work, 'x:1'], 1, new RegExp(`^strata: read ${work}: is a directory\\n$`));
    fails(['load', '-i', work], 1, new RegExp(`^strata: read ${work}: is a directory\\n$`));
  });

  it('an archive whose manifest.json has a RepoTag that is not a string', async () => {
    const layer = await makeTar([{ name: 'f', data: 'x\n' }]);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
    const name = `${sha256(config).slice(7)}.json`;
    const archive = path.join(work, 'odd.tar');
    fs.writeFileSync(archive, await makeTar([{ name, data: config }, { name: 'l/layer.tar', data: layer }, { name: 'manifest.json', data: JSON.stringify([{ Config: name, RepoTags: [7], Layers: ['l/layer.tar'] }]) }]));
    fails(['load', '-i', archive], 1, /^strata: invalid archive: RepoTags of [0-9a-f]{64}\.json: 7 is not a string\n$/);
  });

  it('volume and network names of 300 characters', () => {
    fails(['volume', 'create', 'v'.repeat(300)], 1, /: the name is 300 characters long, more than the 200 a local volume name may have\n$/);
    fails(['network', 'create', 'n'.repeat(300)], 1, /: 300 characters long, more than the 200 a network name may have\n$/);
  });
});
