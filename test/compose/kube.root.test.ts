// strata kube play / generate against podman's (Debian's podman, runc, a private store): the
// same Pod YAML played by both gives containers of the same names, environment, command and
// mounts; strata's generated YAML plays on podman as the original did; podman's generated YAML
// plays on strata as on podman; a Deployment's replicas are pods of their own; --down leaves
// nothing but the claims.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { hasPodman, makePodman, type Podman } from '../engine/archive/podman.js';
import { httpGet } from '../engine/network/host-state.js';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { until } from '../support/until.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/strata.js');
const IMAGE = 'localhost/kube-bb:latest';

const port = (n: number) => 21000 + ((process.pid * 7 + n) % 4000);

const podYaml = (hostPort: number, hostDir: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  containers:
  - name: web
    image: ${IMAGE}
    command: ["httpd"]
    args: ["-f", "-p", "8060", "-h", "/www"]
    env:
    - name: ROLE
      value: web
    - name: GREETING
      valueFrom:
        configMapKeyRef: {name: settings, key: greeting}
    ports:
    - containerPort: 8060
      hostPort: ${hostPort}
    volumeMounts:
    - {name: shared, mountPath: /www}
    - {name: host, mountPath: /host, readOnly: true}
  - name: feeder
    image: ${IMAGE}
    command: ["sh", "-c", "cat /host/page > /out/index.html; exec sleep 1000"]
    volumeMounts:
    - {name: shared, mountPath: /out}
    - {name: host, mountPath: /host, readOnly: true}
    - {name: keep, mountPath: /keep}
  volumes:
  - name: shared
    emptyDir: {}
  - name: host
    hostPath: {path: ${hostDir}, type: Directory}
  - name: keep
    persistentVolumeClaim: {claimName: duo-keep}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  greeting: hello
`;

interface Seen {
  name: string;
  env: string[];
  argv: string[];
  mounts: string[];
}

describe('strata kube', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : !hasPodman ? 'needs podman' : false, timeout: 600_000 }, () => {
  let t: TestEngine;
  let podman: Podman;
  let dir: string;
  let hostDir: string;
  const strata = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]) => {
    const r = strata(...args);
    assert.equal(r.code, 0, `strata ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  // what a user compares: the containers' names, what they set in the environment, what runs, where mounts are
  const strataSeen = async (pod: string): Promise<Seen[]> => {
    const list = (await t.engine.listContainers(true)).filter((c) => c.labels?.['io.strata.kube.pod'] === pod);
    const out: Seen[] = [];
    for (const c of list) {
      const r = await t.engine.inspectContainer(c.id);
      out.push({ name: r.name, env: r.config.env.filter((e) => /^(ROLE|GREETING)=/.test(e)).sort(), argv: [r.path, ...r.args], mounts: (r.mounts ?? []).map((m) => `${m.type}:${m.destination}:${m.rw ? 'rw' : 'ro'}`).sort() });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  };
  const podmanSeen = (names: string[]): Seen[] => names.map((name) => {
    const [r] = JSON.parse(podman.ok(['inspect', name])) as Array<{ Name: string; Path: string; Args: string[]; Config: { Env: string[] }; Mounts: Array<{ Type: string; Destination: string; RW: boolean }> }>;
    return { name: r.Name, env: r.Config.Env.filter((e) => /^(ROLE|GREETING)=/.test(e)).sort(), argv: [r.Path, ...r.Args], mounts: r.Mounts.map((m) => `${m.Type}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`).sort() };
  }).sort((a, b) => a.name.localeCompare(b.name));
  const podmanNames = () => podman.ok(['ps', '-a', '--format', '{{.Names}}']).split('\n').filter((n) => n && !n.endsWith('-infra'));

  before(async () => {
    t = await makeTestEngine({ importBusybox: false });
    dir = path.join(t.base, 'kube');
    hostDir = path.join(dir, 'host');
    fs.mkdirSync(hostDir, { recursive: true });
    fs.writeFileSync(path.join(hostDir, 'page'), 'from the host path\n');
    const tar = path.join(t.base, 'busybox.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
    ok('import', tar, IMAGE, '-c', 'CMD ["sh"]');
    // podman's kube play sets rlimits this host refuses above its own: a config of the test's own
    const conf = write('containers.conf', '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n');
    process.env.CONTAINERS_CONF = conf;
    podman = makePodman(t.base, { ownState: true });
    podman.ok(['import', '-c', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '-c', 'CMD ["sh"]', tar, IMAGE]);
  });
  after(async () => {
    for (const f of ['pod-strata.yaml', 'pod-podman.yaml', 'from-strata.yaml', 'from-podman.yaml', 'deploy.yaml']) {
      if (dir && fs.existsSync(path.join(dir, f))) {
        strata('kube', 'play', '--down', path.join(dir, f));
        podman?.run(['kube', 'play', '--down', path.join(dir, f)]);
      }
    }
    podman?.cleanup();
    delete process.env.CONTAINERS_CONF;
    await t.cleanup();
  });

  it('plays a two-container pod as podman does: one network, shared volumes, the same containers', async () => {
    const mine = write('pod-strata.yaml', podYaml(port(1), hostDir));
    const out = ok('kube', 'play', mine);
    assert.match(out, /^Pod:\nduo\nContainers:\n[0-9a-f]{64}\n[0-9a-f]{64}\n/);
    assert.equal(await until('the pod to answer', 20_000, async () => (await httpGet('127.0.0.1', port(1)).catch(() => '')) || undefined), 'from the host path\n', 'the feeder wrote into the emptyDir the web container serves');
    assert.equal(ok('exec', 'duo-feeder', 'wget', '-qO-', 'http://127.0.0.1:8060/'), 'from the host path\n', "one pod, one network: the web server on the feeder's loopback");
    assert.equal(ok('exec', 'duo-feeder', 'hostname').trim(), 'duo');

    const theirs = write('pod-podman.yaml', podYaml(port(2), hostDir));
    podman.ok(['kube', 'play', theirs]);
    const expected = podmanSeen(podmanNames());
    assert.deepEqual(expected.map((c) => c.name), ['duo-feeder', 'duo-web']);
    assert.deepEqual(await strataSeen('duo'), expected);
    podman.ok(['kube', 'play', '--down', theirs]);
  });

  it("generates a pod that podman plays as it played the original", async () => {
    const yaml = ok('kube', 'generate', 'duo');
    assert.match(yaml, /^apiVersion: v1\nkind: Pod\n/m);
    const generated = write('from-strata.yaml', yaml.replace(`hostPort: ${port(1)}`, `hostPort: ${port(3)}`));
    podman.ok(['kube', 'play', generated]);
    const seen = podmanSeen(podmanNames());
    const mine = await strataSeen('duo');
    // the claim podman makes for the emptyDir carries strata's volume name; the rest is the same
    assert.deepEqual(seen, mine);
    assert.equal(await until('the pod to answer', 20_000, async () => (await httpGet('127.0.0.1', port(3)).catch(() => '')) || undefined), 'from the host path\n');
    podman.ok(['kube', 'play', '--down', generated]);
  });

  it("plays podman's generated YAML as podman plays it", async () => {
    const theirs = path.join(dir, 'pod-podman.yaml');
    podman.ok(['kube', 'play', theirs]);
    const generated = write('from-podman.yaml', podman.ok(['kube', 'generate', 'duo']));
    podman.ok(['kube', 'play', '--down', theirs]);
    podman.ok(['kube', 'play', generated]);
    const expected = podmanSeen(podmanNames());
    podman.ok(['kube', 'play', '--down', generated]);
    ok('kube', 'play', '--down', path.join(dir, 'pod-strata.yaml'));
    ok('kube', 'play', generated);
    assert.deepEqual(await strataSeen('duo'), expected);
    ok('kube', 'play', '--down', generated);
    assert.deepEqual((await t.engine.listContainers(true)).map((c) => c.name), []);
  });

  it('runs a Deployment\'s replicas as pods of their own; --down removes them and keeps the claims', async () => {
    const file = write('deploy.yaml', `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 3
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: worker
        image: ${IMAGE}
        command: ["sleep", "1000"]
        env: [{name: MODE, valueFrom: {secretKeyRef: {name: creds, key: mode}}}]
        resources: {limits: {memory: 64Mi, cpu: 500m}}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {mode: ${Buffer.from('fast').toString('base64')}}
`);
    ok('kube', 'play', file);
    const names = (await t.engine.listContainers(true)).map((c) => c.name).sort();
    assert.deepEqual(names, ['app-pod-1-worker', 'app-pod-2-worker', 'app-pod-worker']);
    const r = await t.engine.inspectContainer('app-pod-1-worker');
    assert.ok(r.config.env.includes('MODE=fast'));
    assert.equal(r.hostConfig.limits.memoryBytes, 64 * 2 ** 20);
    assert.equal(r.hostConfig.limits.nanoCpus, 5e8);
    const again = strata('kube', 'play', file);
    assert.equal(again.code, 125);
    assert.match(again.stderr, /pod app-pod already exists: use --replace or --down first/);
    ok('kube', 'play', '--down', file);
    assert.deepEqual((await t.engine.listContainers(true)).map((c) => c.name), []);
    assert.ok((await t.engine.listVolumes()).some((v) => v.name === 'duo-keep'), 'a claim outlives its pods');
    assert.ok(!(await t.engine.listVolumes()).some((v) => v.name === 'duo-shared'), 'an emptyDir does not');
  });

  it('refuses what it cannot run in one line', () => {
    const bad = write('bad.yaml', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\n');
    const r = strata('kube', 'play', bad);
    assert.equal(r.code, 125);
    assert.equal(r.stderr.trim(), `strata: ${bad}: kind CronJob is not supported (Pod, Deployment, ConfigMap, Secret, PersistentVolumeClaim, Service are)`);
  });
});
