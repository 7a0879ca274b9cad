// The Docker Engine API, endpoint by endpoint, in the manner of podman's test/apiv2: an HTTP
// request over the service's socket, the status docker answers and the JSON fields clients read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { IMAGE } from '../support/test-engine.js';
import { until } from '../support/until.js';
import { deframe, request, startService, type TestService } from './service.js';

describe('Docker API conformance', () => {
  let svc: TestService;
  const get = (p: string) => request(svc.socket, 'GET', p);
  const post = (p: string, body?: unknown) => request(svc.socket, 'POST', p, body);
  before(async () => { svc = await startService(); });
  after(async () => { await svc.stop(); });

  it('serves on a socket only its owner and group reach', () => {
    assert.equal(fs.statSync(svc.socket).mode & 0o777, 0o660);
  });

  it('_ping (GET and HEAD), version negotiation and the version prefix', async () => {
    const ping = await get('/_ping');
    assert.equal(ping.status, 200);
    assert.equal(ping.text, 'OK');
    assert.equal(ping.headers['api-version'], '1.51');
    const head = await request(svc.socket, 'HEAD', '/_ping');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    const version = await get('/v1.41/version');
    assert.equal(version.status, 200);
    assert.equal(version.json.ApiVersion, '1.51');
    assert.equal(version.json.MinAPIVersion, '1.41');
    assert.equal(version.json.Os, 'linux');
    const old = await get('/v1.12/version');
    assert.equal(old.status, 400);
    assert.match(old.json.message, /client version 1\.12 is too old\. Minimum supported API version is 1\.41/);
    const tooNew = await get('/v1.99/version');
    assert.equal(tooNew.status, 400);
  });

  it('info counts what the store holds', async () => {
    const info = await get('/v1.50/info');
    assert.equal(info.status, 200);
    assert.equal(info.json.Images, 1);
    assert.equal(info.json.OSType, 'linux');
    assert.equal(typeof info.json.NCPU, 'number');
    assert.equal(info.json.DockerRootDir, svc.test.root);
  });

  it('an unknown endpoint is 404 with docker\'s message; a malformed body is 400', async () => {
    const unknown = await get('/v1.50/nothing/here');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { message: 'page not found' });
    const bad = await request(svc.socket, 'POST', '/v1.50/containers/create', '{"Image": "x",', { 'Content-Type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /invalid JSON/);
    const noImage = await post('/v1.50/containers/create', {});
    assert.equal(noImage.status, 400);
    const missing = await get('/v1.50/containers/nope/json');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'No such container: nope');
    const missingImage = await post('/v1.50/containers/create', { Image: 'no/such:image' });
    assert.equal(missingImage.status, 404);
    assert.match(missingImage.json.message, /No such image: no\/such:image/);
  });

  it('a container through create, start, inspect, logs, top, wait, stop and delete', async () => {
    const create = await post('/v1.50/containers/create?name=conf1', {
      Image: IMAGE, Cmd: ['sh', '-c', 'echo out; echo err >&2; trap "exit 0" TERM; while :; do sleep 0.1; done'], Env: ['A=1'], Labels: { team: 'x' },
      HostConfig: { RestartPolicy: { Name: 'no' }, Memory: 64 * 1024 * 1024, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } },
    });
    assert.equal(create.status, 201, create.text);
    assert.match(create.json.Id, /^[0-9a-f]{64}$/);
    assert.deepEqual(create.json.Warnings, []);
    const dup = await post('/v1.50/containers/create?name=conf1', { Image: IMAGE });
    assert.equal(dup.status, 409);
    const id = create.json.Id as string;
    assert.equal((await post(`/v1.50/containers/${id}/start`)).status, 204);
    assert.equal((await post(`/v1.50/containers/${id}/start`)).status, 304);
    const inspect = await get('/v1.50/containers/conf1/json');
    assert.equal(inspect.status, 200);
    assert.equal(inspect.json.State.Running, true);
    assert.equal(inspect.json.Name, '/conf1');
    assert.equal(inspect.json.HostConfig.Memory, 64 * 1024 * 1024);
    assert.ok(inspect.json.Config.Env.includes('A=1'));
    // update: the running container's limit and restart policy change, as inspect then says
    const update = await post(`/v1.50/containers/${id}/update`, { Memory: 96 * 1024 * 1024, MemorySwap: -1, CpuShares: 0, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } });
    assert.equal(update.status, 200, update.text);
    assert.ok(Array.isArray(update.json.Warnings), update.text);
    const updated = await get('/v1.50/containers/conf1/json');
    assert.equal(updated.json.HostConfig.Memory, 96 * 1024 * 1024);
    assert.deepEqual(updated.json.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
    assert.equal((await post('/v1.50/containers/nosuch/update', { Memory: 1 })).status, 404);
    const list = await get(`/v1.50/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: ['team=x'] }))}`);
    assert.equal(list.json.length, 1);
    assert.deepEqual(list.json[0].Names, ['/conf1']);
    assert.equal(list.json[0].State, 'running');
    assert.equal(list.json[0].Labels.team, 'x');
    let frames: Array<[number, string]> = [];
    for (let i = 0; i < 100 && frames.length < 2; i++) {
      const logs = await get(`/v1.50/containers/${id}/logs?stdout=1&stderr=1`);
      assert.equal(logs.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
      frames = deframe(logs.body);
      if (frames.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(frames.sort(), [[1, 'out\n'], [2, 'err\n']]);
    const onlyErr = deframe((await get(`/v1.50/containers/${id}/logs?stderr=1&timestamps=1`)).body);
    assert.match(onlyErr[0][1], /^\d{4}-\d\d-\d\dT[\d:.]+Z err\n$/);
    const top = await get(`/v1.50/containers/${id}/top`);
    assert.equal(top.status, 200);
    assert.ok(top.json.Titles.includes('PID'));
    assert.ok(top.json.Processes.length >= 1);
    const conflictRm = await request(svc.socket, 'DELETE', `/v1.50/containers/${id}`);
    assert.equal(conflictRm.status, 409);
    assert.equal((await post(`/v1.50/containers/${id}/pause`)).status, 204);
    assert.equal((await get(`/v1.50/containers/${id}/json`)).json.State.Paused, true);
    assert.equal((await post(`/v1.50/containers/${id}/unpause`)).status, 204);
    assert.equal((await post(`/v1.50/containers/${id}/stop?t=5`)).status, 204);
    assert.equal((await post(`/v1.50/containers/${id}/stop`)).status, 304);
    const wait = await post(`/v1.50/containers/${id}/wait`);
    assert.deepEqual(wait.json, { StatusCode: 0, Error: null });
    assert.equal((await post(`/v1.50/containers/${id}/rename?name=conf2`)).status, 204);
    assert.equal((await get('/v1.50/containers/conf2/json')).status, 200);
    assert.equal((await request(svc.socket, 'DELETE', `/v1.50/containers/${id}`)).status, 204);
    assert.equal((await get(`/v1.50/containers/${id}/json`)).status, 404);
  });

  it('wait?condition=next-exit answers the exit after the request, with its code', async () => {
    const { json } = await post('/v1.50/containers/create', { Image: IMAGE, Cmd: ['sh', '-c', 'exit 3'] });
    const waiting = post(`/v1.50/containers/${json.Id}/wait?condition=next-exit`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await post(`/v1.50/containers/${json.Id}/start`)).status, 204);
    assert.deepEqual((await waiting).json, { StatusCode: 3, Error: null });
    assert.equal((await post(`/v1.50/containers/${json.Id}/wait?condition=bogus`)).status, 400);
    await request(svc.socket, 'DELETE', `/v1.50/containers/${json.Id}`);
  });

  it('exec create, start, inspect', async () => {
    const { json } = await post('/v1.50/containers/create', { Image: IMAGE, Cmd: ['sleep', '30'] });
    await post(`/v1.50/containers/${json.Id}/start`);
    const exec = await post(`/v1.50/containers/${json.Id}/exec`, { Cmd: ['sh', '-c', 'echo $X; exit 4'], Env: ['X=from-exec'], AttachStdout: true, AttachStderr: true });
    assert.equal(exec.status, 201);
    const started = await post(`/v1.50/exec/${exec.json.Id}/start`, { Detach: false, Tty: false });
    assert.equal(started.status, 200);
    assert.deepEqual(deframe(started.body), [[1, 'from-exec\n']]);
    const inspect = await get(`/v1.50/exec/${exec.json.Id}/json`);
    assert.equal(inspect.json.ExitCode, 4);
    assert.equal(inspect.json.Running, false);
    assert.equal(inspect.json.ContainerID, json.Id);
    assert.equal((await get('/v1.50/exec/nope/json')).status, 404);
    await request(svc.socket, 'DELETE', `/v1.50/containers/${json.Id}?force=1`);
  });

  it('images: list, inspect, history, tag, remove', async () => {
    const list = await get('/v1.50/images/json');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json[0].RepoTags, [IMAGE]);
    assert.equal((await post(`/v1.50/images/${IMAGE}/tag?repo=127.0.0.1:5999/team/app&tag=1.2`)).status, 201);
    const inspect = await get('/v1.50/images/127.0.0.1:5999/team/app:1.2/json');
    assert.equal(inspect.status, 200);
    assert.ok(inspect.json.RepoTags.includes('127.0.0.1:5999/team/app:1.2'));
    const history = await get(`/v1.50/images/${IMAGE}/history`);
    assert.equal(history.status, 200);
    assert.ok(history.json.length >= 1);
    const removed = await request(svc.socket, 'DELETE', '/v1.50/images/127.0.0.1:5999/team/app:1.2');
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.json, [{ Untagged: '127.0.0.1:5999/team/app:1.2' }]);
    assert.equal((await get('/v1.50/images/no/such/json')).status, 404);
  });

  it('networks and volumes: create, list, inspect, remove, prune', async () => {
    const net = await post('/v1.50/networks/create', { Name: 'confnet', Labels: { a: 'b' } });
    assert.equal(net.status, 201);
    assert.equal((await post('/v1.50/networks/create', { Name: 'confnet' })).status, 409);
    const nets = await get('/v1.50/networks');
    assert.ok(nets.json.some((n: { Name: string }) => n.Name === 'confnet'));
    const netInspect = await get('/v1.50/networks/confnet');
    assert.equal(netInspect.json.Id, net.json.Id);
    assert.equal(netInspect.json.Labels.a, 'b');
    assert.equal((await request(svc.socket, 'DELETE', '/v1.50/networks/confnet')).status, 204);
    assert.equal((await get('/v1.50/networks/confnet')).status, 404);
    const vol = await post('/v1.50/volumes/create', { Name: 'confvol', Labels: { k: 'v' } });
    assert.equal(vol.status, 201);
    assert.equal(vol.json.Name, 'confvol');
    assert.equal(vol.json.Driver, 'local');
    const vols = await get('/v1.50/volumes');
    assert.deepEqual(vols.json.Volumes.map((v: { Name: string }) => v.Name), ['confvol']);
    assert.equal((await get('/v1.50/volumes/confvol')).json.Labels.k, 'v');
    const pruned = await post('/v1.50/volumes/prune');
    assert.equal(pruned.status, 200);
    assert.ok(Array.isArray(pruned.json.VolumesDeleted));
    await request(svc.socket, 'DELETE', '/v1.50/volumes/confvol');
    assert.equal((await get('/v1.50/volumes/confvol')).status, 404);
  });

  it('containers/json: each container\'s networks, mounts and network mode as docker lists them', async () => {
    assert.equal((await post('/v1.50/networks/create', { Name: 'listnet' })).status, 201);
    const bindDir = fs.mkdtempSync(`${svc.test.base}/bind-`);
    const onNet = await post('/v1.50/containers/create?name=listed-net', {
      Image: IMAGE, Cmd: ['sleep', '60'], Labels: { list: 'shape' },
      HostConfig: { NetworkMode: 'listnet', Binds: ['listvol:/data', `${bindDir}:/host:ro`] },
    });
    assert.equal(onNet.status, 201, onNet.text);
    const onHost = await post('/v1.50/containers/create?name=listed-host', { Image: IMAGE, Cmd: ['sleep', '60'], Labels: { list: 'shape' }, HostConfig: { NetworkMode: 'host' } });
    assert.equal(onHost.status, 201, onHost.text);
    assert.equal((await post(`/v1.50/containers/${onNet.json.Id}/start`)).status, 204);
    try {
      const list = await get(`/v1.50/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['list=shape'] }))}`);
      const byName = Object.fromEntries(list.json.map((c: { Names: string[] }) => [c.Names[0], c]));
      const net = byName['/listed-net'];
      const inspected = (await get('/v1.50/containers/listed-net/json')).json;
      assert.deepEqual(net.HostConfig, { NetworkMode: 'listnet' });
      assert.deepEqual(Object.keys(net.NetworkSettings.Networks), ['listnet']);
      const endpoint = net.NetworkSettings.Networks.listnet;
      assert.match(endpoint.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
      assert.deepEqual(endpoint, inspected.NetworkSettings.Networks.listnet);
      assert.equal(endpoint.NetworkID, (await get('/v1.50/networks/listnet')).json.Id);
      assert.deepEqual(net.Mounts.map((m: { Type: string; Destination: string; RW: boolean }) => [m.Type, m.Destination, m.RW]).sort(), [['bind', '/host', false], ['volume', '/data', true]]);
      assert.equal(net.Mounts.find((m: { Type: string }) => m.Type === 'volume').Name, 'listvol');
      assert.equal(net.Mounts.find((m: { Type: string }) => m.Type === 'bind').Source, bindDir);
      const host = byName['/listed-host'];
      assert.deepEqual(host.HostConfig, { NetworkMode: 'host' });
      assert.deepEqual(Object.keys(host.NetworkSettings.Networks), ['host']);
      assert.deepEqual(host.Mounts, []);
    } finally {
      for (const name of ['listed-net', 'listed-host']) await request(svc.socket, 'DELETE', `/v1.50/containers/${name}?force=1&v=1`);
      await request(svc.socket, 'DELETE', '/v1.50/volumes/listvol');
      await request(svc.socket, 'DELETE', '/v1.50/networks/listnet');
    }
  });

  it('attach/ws: output as websocket messages, input from the client\'s; a plain GET is 400', async () => {
    const { json } = await post('/v1.50/containers/create?name=wsc', {
      Image: IMAGE, OpenStdin: true, Cmd: ['sh', '-c', 'echo before; while read line; do echo "got $line"; echo "err $line" >&2; done'],
    });
    assert.equal((await post(`/v1.50/containers/${json.Id}/start`)).status, 204);
    try {
      assert.equal((await get(`/v1.50/containers/${json.Id}/attach/ws?stream=1&stdout=1`)).status, 400);
      const ws = new WebSocket(`ws+unix://${svc.socket}:/v1.50/containers/${json.Id}/attach/ws?logs=1&stream=1&stdin=1&stdout=1&stderr=1`);
      let got = '';
      ws.on('message', (m: Buffer, binary: boolean) => { assert.equal(binary, true); got += m.toString(); });
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      ws.send('hello\n');
      await until('the answer to what was sent', 30_000, async () => (got.includes('err hello\n') ? true : undefined));
      assert.deepEqual(got.split('\n').filter(Boolean).sort(), ['before', 'err hello', 'got hello']);
      const closed = new Promise((resolve) => ws.once('close', resolve));
      assert.equal((await post(`/v1.50/containers/${json.Id}/kill`)).status, 204);
      await closed; // the container's exit ends the websocket
    } finally {
      await request(svc.socket, 'DELETE', `/v1.50/containers/${json.Id}?force=1`);
    }
  });

  it('attach?logs=1 replays what the container wrote before the live output', async () => {
    const { json } = await post('/v1.50/containers/create', { Image: IMAGE, OpenStdin: true, Cmd: ['sh', '-c', 'echo first; echo err-first >&2; read x; echo "then $x"'] });
    assert.equal((await post(`/v1.50/containers/${json.Id}/start`)).status, 204);
    try {
      await until('the first lines in the log', 30_000, async () => (deframe((await get(`/v1.50/containers/${json.Id}/logs?stdout=1&stderr=1`)).body).length === 2 ? true : undefined));
      let got = Buffer.alloc(0);
      const conn = net.connect(svc.socket, () => conn.write(`POST /v1.50/containers/${json.Id}/attach?logs=1&stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`));
      conn.on('data', (d: Buffer) => { got = Buffer.concat([got, d]); });
      const ended = new Promise((resolve) => conn.on('close', resolve));
      await until('the upgrade and the replayed log', 30_000, async () => (deframe(got.subarray(got.indexOf('\r\n\r\n') + 4)).length >= 2 ? true : undefined));
      conn.write('now\n');
      await ended; // the container exits after its read, which ends the attachment
      assert.match(got.toString('latin1'), /^HTTP\/1\.1 101 UPGRADED\r\n/);
      const frames = deframe(got.subarray(got.indexOf('\r\n\r\n') + 4));
      // the two replayed lines came down two pipes: the log keeps them in the order they were read
      assert.deepEqual(frames.slice(0, 2).sort(), [[1, 'first\n'], [2, 'err-first\n']]);
      assert.deepEqual(frames.slice(2), [[1, 'then now\n']]);
    } finally {
      await request(svc.socket, 'DELETE', `/v1.50/containers/${json.Id}?force=1`);
    }
  });

  it('events: replayed from since, filtered', async () => {
    const since = Math.floor(Date.now() / 1000) - 60;
    const until = Math.floor(Date.now() / 1000) + 1;
    await new Promise((r) => setTimeout(r, 1100));
    const ev = await get(`/v1.50/events?since=${since}&until=${until}&filters=${encodeURIComponent(JSON.stringify({ type: ['network'] }))}`);
    assert.equal(ev.status, 200);
    const lines = ev.text.trim().split('\n').map((l) => JSON.parse(l) as { Type: string; Action: string; Actor: { Attributes: { name: string } } });
    assert.ok(lines.length >= 2);
    assert.ok(lines.every((l) => l.Type === 'network'));
    assert.ok(lines.some((l) => l.Action === 'create' && l.Actor.Attributes.name === 'confnet'));
  });

  it('stats (one-shot and streamed), archive HEAD/GET/PUT, changes, export, prune', async () => {
    const { json } = await post('/v1.50/containers/create?name=conf3', { Image: IMAGE, Cmd: ['sh', '-c', 'echo x > /made; sleep 30'] });
    await post(`/v1.50/containers/${json.Id}/start`);
    const once = await get(`/v1.50/containers/${json.Id}/stats?stream=0`);
    assert.equal(once.status, 200);
    assert.equal(once.json.name, '/conf3');
    assert.equal(typeof once.json.cpu_stats.cpu_usage.total_usage, 'number');
    assert.ok(once.json.cpu_stats.system_cpu_usage > once.json.precpu_stats.system_cpu_usage, 'two readings: clients compute CPU % from the difference');
    assert.ok(once.json.memory_stats.limit > 0);
    assert.ok(once.json.pids_stats.current >= 1);
    const oneShot = await get(`/v1.50/containers/${json.Id}/stats?stream=0&one-shot=1`);
    assert.equal(oneShot.json.precpu_stats.system_cpu_usage, 0);
    const head = await request(svc.socket, 'HEAD', `/v1.50/containers/${json.Id}/archive?path=/etc/hostname`);
    assert.equal(head.status, 200);
    const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString());
    assert.equal(stat.name, 'hostname');
    assert.equal(stat.mode & 2 ** 31, 0);
    const dirStat = await request(svc.socket, 'HEAD', `/v1.50/containers/${json.Id}/archive?path=/etc`);
    assert.ok(JSON.parse(Buffer.from(String(dirStat.headers['x-docker-container-path-stat']), 'base64').toString()).mode >= 2 ** 31, 'a directory has Go\'s ModeDir bit');
    const archive = await get(`/v1.50/containers/${json.Id}/archive?path=/etc/hostname`);
    assert.equal(archive.headers['content-type'], 'application/x-tar');
    assert.equal(archive.body.subarray(0, 8).toString(), 'hostname');
    assert.equal((await request(svc.socket, 'HEAD', `/v1.50/containers/${json.Id}/archive?path=/nope`)).status, 404);
    const put = await request(svc.socket, 'PUT', `/v1.50/containers/${json.Id}/archive?path=/tmp`, archive.body, { 'Content-Type': 'application/x-tar' });
    assert.equal(put.status, 200);
    const changes = await get(`/v1.50/containers/${json.Id}/changes`);
    assert.ok(changes.json.some((c: { Path: string; Kind: number }) => c.Path === '/made' && c.Kind === 1));
    assert.ok(changes.json.some((c: { Path: string; Kind: number }) => c.Path === '/tmp/hostname' && c.Kind === 1));
    await post(`/v1.50/containers/${json.Id}/kill`);
    await post(`/v1.50/containers/${json.Id}/wait`);
    assert.equal((await post(`/v1.50/containers/${json.Id}/kill`)).status, 409);
    const exported = await get(`/v1.50/containers/${json.Id}/export`);
    assert.equal(exported.status, 200);
    assert.ok(exported.body.length > 100_000);
    const prune = await post('/v1.50/containers/prune');
    assert.deepEqual(prune.json.ContainersDeleted, [json.Id]);
    assert.equal((await get(`/v1.50/containers/${json.Id}/json`)).status, 404);
  });

  it('system/df', async () => {
    const df = await get('/v1.50/system/df');
    assert.equal(df.status, 200);
    assert.equal(df.json.Images.length, 1);
    assert.ok(Array.isArray(df.json.Volumes));
  });
});
