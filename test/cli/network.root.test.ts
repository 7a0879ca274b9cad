// The network, volume and port verbs and run's -p/-P/--network/-v/--mount, through the built
// CLI (dist/strata.js) in child processes, as a user types them. A published port must keep
// answering after the `strata run -d` process that set it up has exited.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { httpGet, links, nftTable, nftTables } from '../engine/network/host-state.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/strata.js');
const skip = !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;
const IMAGE = 'strata-net/busybox:latest';
const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "served by $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

let workDir = '';
let root = '';
let runtimeDir = '';

function strata(args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [cli, '--root', root, '--runtime-dir', runtimeDir, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

function ok(args: string[]): string {
  const r = strata(args);
  assert.equal(r.status, 0, `strata ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function freePort(): number {
  return 20000 + (process.pid % 5000) + Math.floor(Math.random() * 1000);
}

describe('strata network, volume and port', { skip, timeout: 180_000 }, () => {
  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-net-'));
    root = path.join(workDir, 'root');
    runtimeDir = path.join(workDir, 'run');
    const tar = path.join(workDir, 'busybox.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
    ok(['import', tar, IMAGE, '-c', 'CMD ["sh"]', '-c', 'EXPOSE 80']);
  });

  after(() => {
    if (!workDir) return;
    for (const id of strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean)) strata(['rm', '-f', '-v', id]);
    strata(['network', 'prune', '-f']);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('publishes a port that keeps answering after `run -d` exits, and `port` shows it', async () => {
    const hostPort = freePort();
    const id = ok(['run', '-d', '-p', `${hostPort}:80`, '--name', 'web', IMAGE, ...HTTPD]).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    // the process that ran it is gone: the kernel's rules answer, not a proxy
    assert.match(await httpGet('127.0.0.1', hostPort), /^served by [0-9a-f]{12}$/m);
    assert.equal(ok(['port', 'web']), `80/tcp -> 0.0.0.0:${hostPort}\n`);
    assert.equal(ok(['port', 'web', '80/tcp']), `0.0.0.0:${hostPort}\n`);
    const [ip, ports] = ok(['inspect', '-f', '{{.NetworkSettings.IPAddress}} {{json .NetworkSettings.Ports}}', 'web']).trim().split(' ');
    assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(JSON.parse(ports), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(hostPort) }] });

    const taken = strata(['run', '-d', '-p', `${hostPort}:80`, IMAGE, 'true']);
    assert.equal(taken.status, 125);
    assert.match(taken.stderr, /port is already allocated/);

    const bridge = JSON.parse(ok(['network', 'inspect', 'bridge']))[0].Options['com.docker.network.bridge.name'];
    ok(['rm', '-f', 'web']);
    strata(['ps', '-a']); // the failed run above is reconciled like any other
    assert.doesNotMatch(nftTable(bridge), new RegExp(`dport ${hostPort} `), 'its port rule is gone');
    assert.ok(links().includes(bridge), 'the bridge stays between containers, like docker0');
    await assert.rejects(httpGet('127.0.0.1', hostPort, '/', 300));
  });

  it('publishes EXPOSEd ports on ephemeral host ports with -P', async () => {
    ok(['run', '-d', '-P', '--name', 'webp', IMAGE, ...HTTPD]);
    const m = /^80\/tcp -> 0\.0\.0\.0:(\d+)$/.exec(ok(['port', 'webp']).trim());
    assert.ok(m, 'one ephemeral mapping');
    assert.match(await httpGet('127.0.0.1', Number(m[1])), /^served by /);
    ok(['rm', '-f', 'webp']);
  });

  it('creates, lists, inspects and removes networks', () => {
    const id = ok(['network', 'create', '--subnet', '10.231.77.0/24', 'clinet']).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(ok(['network', 'ls']), /^[0-9a-f]{12}\s+clinet\s+bridge\s+local$/m);
    const shown = JSON.parse(ok(['network', 'inspect', 'clinet']))[0];
    assert.deepEqual(shown.IPAM.Config, [{ Subnet: '10.231.77.0/24', Gateway: '10.231.77.1' }]);
    const dup = strata(['network', 'create', 'clinet']);
    assert.equal(dup.status, 1); // the daemon refuses it: docker exits 1
    assert.match(dup.stderr, /already exists/);
    const overlap = strata(['network', 'create', '--subnet', '10.231.77.128/25', 'clinet2']);
    assert.match(overlap.stderr, /overlaps with network clinet/);
    const out = ok(['run', '--rm', '--network', 'clinet', IMAGE, 'sh', '-c', 'ip -o -4 addr show eth0']);
    assert.match(out, /inet 10\.231\.77\.2\/24/);
    assert.equal(ok(['network', 'rm', 'clinet']), 'clinet\n');
    const gone = strata(['run', '--rm', '--network', 'clinet', IMAGE, 'true']);
    assert.equal(gone.status, 125);
    assert.match(gone.stderr, /network clinet not found/);
    assert.equal(strata(['network', 'rm', 'bridge']).status, 1);
  });

  it("picks subnets outside docker's and podman's default pools, and says why in inspect", () => {
    // docker: 172.17.0.0/16, then 172.17–31.0.0/16 and 192.168.0.0/16; podman: 10.88.0.0/16, then 10.89.0.0 and up
    const otherEngines = (cidr: string) => {
      const [a, b] = cidr.split('.').map(Number);
      return (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 10 && b >= 88);
    };
    ok(['network', 'create', 'picked']);
    try {
      for (const name of ['picked', 'bridge']) {
        const net = JSON.parse(ok(['network', 'inspect', name]))[0];
        const subnet: string = net.IPAM.Config[0].Subnet;
        assert.ok(!otherEngines(subnet), `${name}: ${subnet} is outside docker's and podman's pools`);
        assert.match(net.Options['io.strata.subnet.reason'], /outside docker's .* and podman's/);
      }
      const given = JSON.parse(ok(['network', 'inspect', 'picked']))[0];
      assert.match(given.IPAM.Config[0].Subnet, /^10\.78\.\d+\.0\/24$/);
    } finally {
      ok(['network', 'rm', 'picked']);
    }
  });

  it('runs with --network host sharing the host stack', () => {
    const hostLinks = links();
    const out = ok(['run', '--rm', '--network', 'host', IMAGE, 'cat', '/proc/net/dev']);
    for (const l of hostLinks.filter((n) => n === 'lo' || n.startsWith('eth'))) assert.match(out, new RegExp(`${l}:`));
  });

  it('runs with --network container:NAME in that container\'s stack, names and /etc files', () => {
    ok(['network', 'create', 'shared-net']);
    try {
      const id = ok(['run', '-d', '--name', 'owner', '--network', 'shared-net', '--add-host', 'extra.test:10.9.8.7', IMAGE, 'sh', '-c', 'echo owner-says-hi > /i && exec httpd -f -p 8081 -h /']).trim();
      // the joiner reaches the owner's server on its loopback: one network namespace
      const out = ok(['run', '--rm', '--network', 'container:owner', IMAGE, 'sh', '-c', 'wget -qO- http://127.0.0.1:8081/i; hostname; grep extra.test /etc/hosts; ip -o -4 addr show eth0 | wc -l']);
      const [body, hostname, hosts, eth0] = out.trim().split('\n');
      assert.equal(body, 'owner-says-hi');
      assert.equal(hostname, id.slice(0, 12), "the owner's hostname, as docker gives it");
      assert.match(hosts, /^10\.9\.8\.7\s+extra\.test$/);
      assert.equal(eth0, '1', "the owner's eth0");
      const joiner = ok(['create', '--network', 'container:owner', IMAGE, 'true']).trim();
      assert.equal(ok(['inspect', '-f', '{{.HostConfig.NetworkMode}}', joiner]).trim(), `container:${id}`);
      ok(['rm', joiner]);
      const refused = strata(['run', '--rm', '--network', 'container:owner', '-p', '8082:80', IMAGE, 'true']);
      assert.equal(refused.status, 125);
      assert.match(refused.stderr, /conflicting options: port publishing and the container type network mode/);
      const missing = strata(['run', '--rm', '--network', 'container:nobody', IMAGE, 'true']);
      assert.equal(missing.status, 125);
      assert.match(missing.stderr, /No such container: nobody/);
      ok(['stop', '-t', '0', 'owner']);
      const stopped = strata(['run', '--rm', '--network', 'container:owner', IMAGE, 'true']);
      assert.notEqual(stopped.status, 0);
      assert.match(stopped.stderr, /cannot join network of a non running container/);
    } finally {
      strata(['rm', '-f', 'owner']);
      ok(['network', 'rm', 'shared-net']);
    }
  });

  it('manages volumes and keeps named ones across rm -v', () => {
    assert.equal(ok(['volume', 'create', 'data']), 'data\n');
    ok(['run', '--name', 'writer', '-v', 'data:/data', '--network', 'none', IMAGE, 'sh', '-c', 'echo saved > /data/f']);
    const mounts = JSON.parse(ok(['inspect', '-f', '{{json .Mounts}}', 'writer']));
    assert.equal(mounts[0].Name, 'data');
    assert.equal(mounts[0].Destination, '/data');
    const inUse = strata(['volume', 'rm', 'data']);
    assert.equal(inUse.status, 1);
    assert.match(inUse.stderr, /volume is in use/);
    ok(['rm', '-v', 'writer']);
    assert.equal(ok(['run', '--rm', '-v', 'data:/data', '--network', 'none', IMAGE, 'cat', '/data/f']), 'saved\n');
    assert.match(ok(['volume', 'ls']), /^local\s+data$/m);
    assert.equal(JSON.parse(ok(['volume', 'inspect', 'data']))[0].Mountpoint, path.join(root, 'volumes/data/_data'));
    const ro = strata(['run', '--rm', '--mount', 'type=volume,source=data,target=/d,readonly', '--network', 'none', IMAGE, 'touch', '/d/x']);
    assert.notEqual(ro.status, 0);
    assert.match(ok(['volume', 'prune', '-f']), /Deleted Volumes:\ndata\n/);
    const missing = strata(['run', '--rm', '-v', '/nonexistent/strata-cli:/x', IMAGE, 'true']);
    assert.equal(missing.status, 125);
    assert.match(missing.stderr, /bind source path does not exist: \/nonexistent\/strata-cli/);
    const bad = strata(['run', '--rm', '-p', '80:http', IMAGE, 'true']);
    assert.equal(bad.status, 125);
    assert.match(bad.stderr, /invalid argument "80:http" for "--publish" flag/);
  });
});
