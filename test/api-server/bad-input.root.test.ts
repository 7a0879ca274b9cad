// Bad input and rude clients: a malformed body, an unknown endpoint, an attach to a container
// that is not running, clients that hang up mid-stream (logs -f, events, attach, wait). Each gets
// docker's answer or is dropped; the service keeps serving and leaks no descriptors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { IMAGE } from '../support/test-engine.js';
import { settledCount, until } from '../support/until.js';
import { request, startService, type TestService } from './service.js';

// this process's descriptors and what each is ("socket:[123]", a file's path, "anon_inode:…")
function openFds(): Map<string, string> {
  const out = new Map<string, string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try { out.set(fd, fs.readlinkSync(`/proc/self/fd/${fd}`)); } catch { /* the readdir's own, closed */ }
  }
  return out;
}

const added = (now: Map<string, string>, then: Map<string, string>) => [...now].filter(([fd, what]) => then.get(fd) !== what).map(([fd, what]) => `${fd} → ${what}`);

// A raw connection that sends a request, reads a little of the answer, then hangs up.
function hangUpAfterFirstBytes(socket: string, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket, () => conn.write(raw));
    let got = '';
    conn.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if (/\r\n\r\n/.test(got)) conn.destroy();
    });
    conn.on('close', () => resolve(got));
    conn.on('error', reject);
  });
}

describe('the Docker API service under bad input', () => {
  let svc: TestService;
  before(async () => { svc = await startService(); });
  after(async () => { await svc.stop(); });

  it('answers a malformed request line with 400 and goes on serving', async () => {
    const answer = await new Promise<string>((resolve) => {
      const conn = net.connect(svc.socket, () => conn.write('NOT HTTP AT ALL\r\n\r\n'));
      let got = '';
      conn.on('data', (c: Buffer) => { got += c.toString(); });
      conn.on('close', () => resolve(got));
    });
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request/);
    assert.equal((await request(svc.socket, 'GET', '/_ping')).status, 200);
  });

  it('bodies that are not JSON objects, and wrong query values, are 400', async () => {
    for (const body of ['{', '[1,2]', '"text"', 'null']) {
      const r = await request(svc.socket, 'POST', '/v1.50/containers/create', body, { 'Content-Type': 'application/json' });
      assert.equal(r.status, 400, body);
      assert.equal(typeof r.json.message, 'string');
    }
    const said = async (body: string) => (await request(svc.socket, 'POST', '/v1.50/containers/create', body, { 'Content-Type': 'application/json' })).json.message;
    assert.equal(await said('{"Image": "x",'), 'invalid JSON: unexpected EOF');
    assert.equal(await said('{invalid json'), "invalid JSON: invalid character 'i' looking for beginning of object key string");
    assert.equal(await said('{"Image": "x"} {}'), 'unexpected content after JSON');
    const bind = await request(svc.socket, 'POST', '/v1.50/containers/create', { Image: IMAGE, HostConfig: { Binds: ['relative:path'] } });
    assert.equal(bind.status, 400);
    assert.match(bind.json.message, /invalid volume specification/);
    const port = await request(svc.socket, 'POST', '/v1.50/containers/create', { Image: IMAGE, HostConfig: { PortBindings: { 'x/tcp': [{}] } } });
    assert.equal(port.status, 400);
    const filter = await request(svc.socket, 'GET', '/v1.50/containers/json?filters=notjson');
    assert.equal(filter.status, 400);
    assert.equal((await request(svc.socket, 'POST', '/v1.50/containers/x/kill')).status, 404);
  });

  it('clients hanging up mid-stream leave no descriptor, attachment or container behind', async () => {
    const { json } = await request(svc.socket, 'POST', '/v1.50/containers/create?name=chatty', { Image: IMAGE, Cmd: ['sh', '-c', 'while :; do echo x; sleep 0.05; done'] });
    assert.equal((await request(svc.socket, 'POST', `/v1.50/containers/${json.Id}/start`)).status, 204);
    const exited = await request(svc.socket, 'POST', '/v1.50/containers/create?name=quiet', { Image: IMAGE, Cmd: ['true'] });
    await request(svc.socket, 'POST', `/v1.50/containers/${exited.json.Id}/start`);
    await request(svc.socket, 'POST', `/v1.50/containers/${exited.json.Id}/wait`);
    // warm every path once, then count
    const rude = async () => {
      await hangUpAfterFirstBytes(svc.socket, 'GET /v1.50/containers/chatty/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: x\r\n\r\n');
      await hangUpAfterFirstBytes(svc.socket, 'GET /v1.50/events HTTP/1.1\r\nHost: x\r\n\r\n');
      await hangUpAfterFirstBytes(svc.socket, 'POST /v1.50/containers/chatty/wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
      await hangUpAfterFirstBytes(svc.socket, 'POST /v1.50/containers/chatty/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n');
      // an attach to a container that exited: held for a start that never comes, until the client leaves
      await hangUpAfterFirstBytes(svc.socket, 'POST /v1.50/containers/quiet/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n');
    };
    await rude();
    await settledCount(() => openFds().size);
    const before = openFds();
    for (let i = 0; i < 5; i++) await rude();
    // five rounds leave nothing: each round's streams close however late (a leak never does)
    await until('descriptors back to where they were', 120_000, async () => (openFds().size <= before.size + 2 ? true : undefined))
      .catch((err: Error) => { throw new Error(`${err.message}; opened since: ${added(openFds(), before).join(', ')}`); });
    assert.equal((await request(svc.socket, 'GET', '/_ping')).status, 200);
    const live = await request(svc.socket, 'GET', '/v1.50/containers/chatty/json');
    assert.equal(live.json.State.Running, true);
    // the abandoned attach to `quiet` does not ride along on its next start
    const attachRide = await request(svc.socket, 'POST', `/v1.50/containers/${exited.json.Id}/start`);
    assert.equal(attachRide.status, 204, JSON.stringify(attachRide.json));
    const removed = await request(svc.socket, 'DELETE', `/v1.50/containers/${json.Id}?force=1`);
    assert.equal(removed.status, 204, JSON.stringify(removed.json));
    await request(svc.socket, 'POST', `/v1.50/containers/${exited.json.Id}/wait`);
    assert.equal((await request(svc.socket, 'DELETE', `/v1.50/containers/${exited.json.Id}`)).status, 204);
  });

  it('an exec start on a finished exec instance is 409; a resize of an unknown exec is 404', async () => {
    const { json } = await request(svc.socket, 'POST', '/v1.50/containers/create', { Image: IMAGE, Cmd: ['sleep', '30'] });
    await request(svc.socket, 'POST', `/v1.50/containers/${json.Id}/start`);
    const exec = await request(svc.socket, 'POST', `/v1.50/containers/${json.Id}/exec`, { Cmd: ['true'] });
    assert.equal((await request(svc.socket, 'POST', `/v1.50/exec/${exec.json.Id}/start`, {})).status, 200);
    const again = await request(svc.socket, 'POST', `/v1.50/exec/${exec.json.Id}/start`, {});
    assert.equal(again.status, 409);
    assert.equal((await request(svc.socket, 'POST', '/v1.50/exec/none/resize?h=1&w=1')).status, 404);
    await request(svc.socket, 'DELETE', `/v1.50/containers/${json.Id}?force=1`);
  });
});
