// dockerode (npm) against strata's Docker API service: create, start, attach, logs as a stream,
// exec, inspect, remove, and a pull from the local docker-registry with docker's progress.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { startRegistry, type RegistryServer } from '../engine/registry/registry-server.js';
import { IMAGE } from '../support/test-engine.js';
import { until } from '../support/until.js';
import { startService, type TestService } from './service.js';

/** What a demultiplexed stream wrote, stdout and stderr apart. */
function collector(docker: Docker, stream: NodeJS.ReadableStream) {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough().on('data', (d: Buffer) => { out.stdout += d.toString(); });
  const stderr = new PassThrough().on('data', (d: Buffer) => { out.stderr += d.toString(); });
  docker.modem.demuxStream(stream, stdout, stderr);
  return out;
}

describe('dockerode against strata system service', () => {
  let svc: TestService;
  let registry: RegistryServer;
  let docker: Docker;
  before(async () => {
    svc = await startService();
    registry = await startRegistry();
    docker = new Docker({ socketPath: svc.socket });
  });
  after(async () => {
    await registry?.stop();
    await svc?.stop();
  });

  it('creates, attaches before start, starts, follows logs, execs, inspects and removes', async () => {
    const container = await docker.createContainer({
      Image: IMAGE, name: 'node-c', Env: ['WHO=node'], OpenStdin: true, StdinOnce: true,
      Cmd: ['sh', '-c', 'read line; echo "got $line"; echo to-err >&2; trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done'],
      Labels: { from: 'dockerode' },
    });
    const attach = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
    const attached = collector(docker, attach);
    await container.start();
    attach.write('hello\n');
    await until('the attached output', 30_000, async () => (attached.stdout.includes('ready') ? true : undefined));
    assert.equal(attached.stdout, 'got hello\nready\n');
    assert.equal(attached.stderr, 'to-err\n');

    const logs = await container.logs({ follow: true, stdout: true, stderr: true });
    const followed = collector(docker, logs);
    const logsEnded = new Promise((resolve) => logs.on('end', resolve));
    const exec = await container.exec({ Cmd: ['sh', '-c', 'echo "exec $WHO"; echo late >> /proc/1/fd/1; exit 4'], AttachStdout: true, AttachStderr: true });
    const execStream = await exec.start({ hijack: true, stdin: false });
    const execEnded = new Promise((resolve) => execStream.on('end', resolve));
    const execOut = collector(docker, execStream);
    await execEnded;
    assert.equal(execOut.stdout, 'exec node\n');
    assert.equal((await exec.inspect()).ExitCode, 4);
    await until('the followed log line written after the follow began', 30_000, async () => (followed.stdout.includes('late') ? true : undefined));
    assert.equal(followed.stdout, 'got hello\nready\nlate\n');

    const info = await container.inspect();
    assert.equal(info.Name, '/node-c');
    assert.equal(info.State.Running, true);
    assert.equal(info.Config.Labels.from, 'dockerode');
    const listed = await docker.listContainers({ filters: { label: ['from=dockerode'] } });
    assert.deepEqual(listed.map((c) => c.Names[0]), ['/node-c']);

    await container.stop({ t: 5 });
    assert.equal((await container.wait()).StatusCode, 0);
    await logsEnded; // the follow ends with the container
    await container.remove();
    await assert.rejects(container.inspect(), (err: { statusCode?: number; json?: { message?: string } }) => {
      assert.equal(err.statusCode, 404);
      assert.equal(err.json?.message, `No such container: ${container.id}`); // dockerode asks by id
      return true;
    });
    // the journal replayed from the beginning (since=0) up to now
    const journal = await docker.getEvents({ since: 0, until: Math.ceil(Date.now() / 1000) + 1, filters: { container: [container.id] } });
    let text = '';
    journal.on('data', (d: Buffer) => { text += d.toString(); });
    await new Promise((resolve) => journal.on('end', resolve));
    const actions = text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { Action: string }).Action);
    for (const action of ['create', 'start', 'kill', 'die', 'stop', 'destroy']) assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
  });

  it('pulls from the local registry with docker\'s progress messages', async () => {
    const ref = `${registry.host}/node/busybox:1`;
    // an image with a layer of its own, which the pull then has to download
    const { record } = await svc.test.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'echo pulled > /f'] });
    assert.equal(await svc.test.engine.waitContainer(record.id), 0);
    await svc.test.engine.commitContainer(record.id, ref);
    await svc.test.engine.removeContainer(record.id);
    await svc.test.engine.pushImage(ref);
    await svc.test.engine.removeImage(ref);
    const stream = await docker.pull(ref);
    const events: Array<{ status?: string; id?: string; error?: string }> = await new Promise((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null, output: Array<{ status?: string }>) => (err ? reject(err) : resolve(output)));
    });
    assert.equal(events.find((e) => e.error), undefined);
    assert.equal(events[0].status, 'Pulling from node/busybox');
    assert.ok(events.some((e) => e.status === 'Pull complete' && e.id), JSON.stringify(events));
    assert.match(events.at(-1)!.status!, new RegExp(`^Status: (Downloaded newer image|Image is up to date) for ${ref.replace(/\./g, '\\.')}$`));
    const image = await docker.getImage(ref).inspect();
    assert.deepEqual(image.RepoTags, [ref]);
    assert.equal(image.RootFS.Layers?.length, 2);
    await docker.getImage(ref).remove();
  });
});
