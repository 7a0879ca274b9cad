// ADD <url> against a hostile server: an endless body is cut at the configured bound while it
// streams to disk (memory stays flat), a body that stops coming times out, and either way the
// build fails in one line with no temp file left. A normal download still lands.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../source/engine/engine.js';
import { DEFAULT_MAX_ADD_URL_BYTES, configuredMaxAddUrlBytes } from '../../../source/engine/build/url-download.js';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';

const LIMIT = 8 << 20;

describe('ADD <url> from a hostile server', () => {
  let t: TestEngine;
  let engine: Engine;
  let server: http.Server;
  let port = 0;
  let sent = 0;
  const saved = process.env.XDG_CONFIG_HOME;

  before(async () => {
    t = await makeTestEngine();
    const home = path.join(t.base, 'home');
    fs.mkdirSync(path.join(home, 'strata-nodejs'), { recursive: true });
    fs.writeFileSync(path.join(home, 'strata-nodejs', 'config.json'), JSON.stringify({ build: { maxAddUrlBytes: LIMIT }, registry: { idleTimeoutMs: 1000 } }));
    process.env.XDG_CONFIG_HOME = home; // read at each ADD
    engine = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    const chunk = crypto.randomBytes(64 << 10);
    server = http.createServer((req, res) => {
      if (req.url === '/endless') {
        res.writeHead(200);
        const write = () => { while (!res.destroyed) { sent += chunk.length; if (!res.write(chunk)) return void res.once('drain', write); } };
        write();
      } else if (req.url === '/stall') {
        res.writeHead(200);
        res.write('a little');
      } else res.end('fine\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
    server?.closeAllConnections();
    server?.close();
    await engine?.close();
    await t?.cleanup();
  });

  async function buildFails(url: string, message: RegExp): Promise<void> {
    const dir = fs.mkdtempSync(path.join(t.base, 'ctx-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM test/busybox:latest\nADD ${url} /got\n`);
    await assert.rejects(engine.build({ context: dir, tags: ['addurl/x:1'] }), (err: Error) => {
      assert.equal(err.name, 'EngineError');
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
    assert.deepEqual(fs.readdirSync(path.join(t.root, 'tmp')), [], 'no temp file');
  }

  it('reads the bound from the config file, 10 GiB by default', () => {
    assert.equal(configuredMaxAddUrlBytes(), LIMIT);
    assert.equal(configuredMaxAddUrlBytes({ XDG_CONFIG_HOME: path.join(t.base, 'nowhere') }), DEFAULT_MAX_ADD_URL_BYTES);
  });

  it('cuts an endless body at the bound, streaming it to disk', async () => {
    const rss = process.memoryUsage().rss;
    await buildFails(`http://127.0.0.1:${port}/endless`, new RegExp(`ADD failed: cannot download http://127\\.0\\.0\\.1:${port}/endless: larger than ${LIMIT} bytes, the most ADD takes from a URL \\(build\\.maxAddUrlBytes in the config file\\)$`));
    assert.ok(sent < LIMIT + (16 << 20), `the server sent ${sent} bytes`);
    assert.ok(process.memoryUsage().rss - rss < 256 << 20, 'memory stayed bounded');
  });

  it('gives up on a body that stops coming', async () => {
    await buildFails(`http://127.0.0.1:${port}/stall`, new RegExp(`ADD failed: cannot download http://127\\.0\\.0\\.1:${port}/stall: Get "http://127\\.0\\.0\\.1:${port}/stall": no data for 1 s from the server$`));
  });

  it('still adds a normal file', async () => {
    const dir = fs.mkdtempSync(path.join(t.base, 'ctx-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM test/busybox:latest\nADD http://127.0.0.1:${port}/ok /got\n`);
    const result = await engine.build({ context: dir, tags: ['addurl/ok:1'] });
    assert.ok(result.imageId);
    assert.deepEqual(fs.readdirSync(path.join(t.root, 'tmp')), []);
    await engine.removeImage('addurl/ok:1');
  });
});
