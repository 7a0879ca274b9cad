// The pieces under bridge networking, against the real kernel where they touch it: the
// addon's sandbox (and that a failure leaves nothing), subnets, addresses, port choice.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { NetworkRecord } from '../../../source/engine/api.js';
import { freeSubnet, formatCidr, hostRoutes, overlaps, parseCidr } from '../../../source/engine/network/cidr.js';
import { allocate, members, release } from '../../../source/engine/network/ipam.js';
import { hostBoundPorts, resolvePorts } from '../../../source/engine/network/ports.js';
import { createSandbox, hostVethName, macFor } from '../../../source/engine/network/sandbox.js';
import { links } from './host-state.js';

const net = (subnet: string): NetworkRecord => ({
  id: 'f'.repeat(64), name: 'unit', driver: 'bridge', bridge: 'strata-unit0', subnet, gateway: formatCidr(parseCidr(subnet)).replace(/\.0\/\d+$/, '.1'),
  created: '', labels: {}, builtin: false,
});

describe('network pieces', () => {
  it('leaves no namespace file, mount or veth when the sandbox cannot be made', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-sandbox-'));
    const id = 'e'.repeat(64);
    try {
      assert.throws(
        () => createSandbox({ containerId: id, ip: '10.231.99.2', net: { ...net('10.231.99.0/24'), bridge: 'strata-nobr' }, netnsFile: path.join(dir, 'ns') }),
        /strata-nobr/,
      );
      assert.ok(!fs.existsSync(path.join(dir, 'ns')));
      assert.ok(!links().includes(hostVethName(id)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('picks subnets that overlap neither host routes nor taken ones', () => {
    const pool = parseCidr('10.90.0.0/16');
    const taken = [parseCidr('10.90.0.0/24'), parseCidr('10.90.1.0/24')];
    const got = freeSubnet(pool, 24, taken)!;
    assert.ok(!taken.some((t) => overlaps(t, got)));
    assert.ok(!hostRoutes().some((r) => overlaps(r.dst, got)));
    assert.throws(() => parseCidr('10.1.2.3'), /invalid subnet/);
    assert.equal(formatCidr(parseCidr('10.89.3.7/24')), '10.89.3.0/24');
    assert.equal(macFor('10.88.0.2'), '02:42:0a:58:00:02');
  });

  it('hands out each address once, skipping the gateway, and takes it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-ipam-'));
    try {
      const n = net('10.231.98.0/30'); // two usable addresses, one of them the gateway
      assert.equal(allocate(n, dir, 'a'.repeat(64)), '10.231.98.2');
      assert.throws(() => allocate(n, dir, 'b'.repeat(64)), /no free address/);
      assert.deepEqual(release(dir, 'a'.repeat(64)), ['10.231.98.2']);
      assert.deepEqual(members(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a host port already published or bound by a host program', () => {
    const taken = [{ containerPort: 80, protocol: 'tcp' as const, hostIp: '0.0.0.0', hostPort: 18123 }];
    assert.throws(() => resolvePorts({ mappings: [{ containerPort: 80, protocol: 'tcp', hostPort: 18123 }], publishAll: false, exposed: [] }, () => taken), /port is already allocated/);
    const listening = [...hostBoundPorts('tcp')][0];
    if (listening) {
      assert.throws(() => resolvePorts({ mappings: [{ containerPort: 80, protocol: 'tcp', hostPort: listening }], publishAll: false, exposed: [] }, () => []), /address already in use/);
    }
    const all = resolvePorts({ mappings: [], publishAll: true, exposed: ['80/tcp', '53/udp'] }, () => []);
    assert.deepEqual(all.map((p) => `${p.containerPort}/${p.protocol}`), ['80/tcp', '53/udp']);
    assert.ok(all.every((p) => p.hostPort >= 1024));
  });
});
