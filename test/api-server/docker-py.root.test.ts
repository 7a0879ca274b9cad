// docker-py against strata's Docker API service: its common calls, through Debian's
// python3-docker (5.0.3, for /usr/bin/python3) and the newest docker-py where `python3` has one.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { IMAGE } from '../support/test-engine.js';
import { startService, type TestService } from './service.js';

const hasDockerPy = (python: string) => spawnSync(python, ['-c', 'import docker'], { stdio: 'ignore' }).status === 0;
const PYTHONS = [
  { python: '/usr/bin/python3', skip: hasDockerPy('/usr/bin/python3') ? false : "Debian's python3-docker is not installed" },
  { python: 'python3', skip: hasDockerPy('python3') ? false : 'python3 has no docker module' },
];

const SCRIPT = `
import docker, sys
c = docker.DockerClient(base_url='unix://' + sys.argv[1])
image = sys.argv[2]
print(c.version()['ApiVersion'])
print(c.containers.run(image, ['echo', 'from-py'], remove=True).decode(), end='')
ct = c.containers.run(image, ['sh', '-c', 'trap "exit 0" TERM; echo l1; while :; do sleep 0.1; done'], detach=True, name='pyc', ports={'80/tcp': None}, environment={'A': '1'})
ct.reload()
print(ct.status, [x.name for x in c.containers.list()])
r = ct.exec_run(['sh', '-c', 'echo $A; exit 2'])
print(r.exit_code, r.output.decode(), end='')
print(sorted(t for i in c.images.list() for t in i.tags))
ct.stop(timeout=5)
print(ct.wait()['StatusCode'], ct.logs().decode(), end='')
ct.remove()
print(c.networks.create('pynet').name); c.networks.get('pynet').remove()
print(c.volumes.create('pyvol').name); c.volumes.get('pyvol').remove()
try:
    c.containers.get('pyc')
except docker.errors.NotFound as e:
    print('NotFound', e.explanation)
`;

for (const { python, skip } of PYTHONS) describe(`docker-py (${python}) against strata system service`, { skip }, () => {
  let svc: TestService;
  before(async () => { svc = await startService(); });
  after(async () => { await svc.stop(); });

  it('runs, lists, execs, stops, logs and removes; networks, volumes; NotFound as docker\'s', async () => {
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(python, ['-c', SCRIPT, svc.socket, IMAGE], { timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
    });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, [
      '1.51', 'from-py', "running ['pyc']", '2 1', `['${IMAGE}']`, '0 l1', 'pynet', 'pyvol', 'NotFound No such container: pyc', '',
    ].join('\n'));
  });
});
