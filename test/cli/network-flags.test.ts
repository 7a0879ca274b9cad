// run/create's --network given more than once, in its short and long forms, read as docker's CLI
// reads it (cli/command/container/opts.go: parseNetworkOpts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readNetworkFlags } from '../../source/cli/network-flags.js';

describe('--network flags', () => {
  it('gives the first network --ip, --network-alias and --mac-address, the others their own options', () => {
    assert.deepEqual(readNetworkFlags(['front', 'name=back,alias=api,alias=svc,ip=10.78.1.9,mac-address=02:42:0a:4e:01:09'], { ipAddress: '10.78.0.9', networkAliases: ['web'] }), {
      network: 'front',
      networkAliases: ['web'],
      ipAddress: '10.78.0.9',
      moreNetworks: [{ network: 'back', aliases: ['api', 'svc'], ipv4Address: '10.78.1.9', macAddress: '02:42:0a:4e:01:09' }],
    });
    assert.deepEqual(readNetworkFlags(['name=front,alias=x'], {}), { network: 'front', networkAliases: ['x'] });
    assert.deepEqual(readNetworkFlags(['default'], {}), { network: 'bridge' });
    assert.deepEqual(readNetworkFlags([], { ipAddress: '10.0.0.2' }), {});
  });

  it('refuses what docker refuses, naming it', () => {
    assert.throws(() => readNetworkFlags(['bridge', 'front'], {}), /cannot attach both user-defined and non-user-defined network-modes/);
    assert.throws(() => readNetworkFlags(['none', 'front'], {}), /cannot attach both user-defined and non-user-defined network-modes/);
    assert.throws(() => readNetworkFlags(['front', 'name=front'], {}), /network "front" is specified multiple times/);
    assert.throws(() => readNetworkFlags(['name=front,ip=10.0.0.2'], { ipAddress: '10.0.0.3' }), /cannot specify both --ip and per-network IPv4 address/);
    assert.throws(() => readNetworkFlags(['name=front,mac-address=02:42:00:00:00:01'], { macAddress: '02:42:00:00:00:02' }), /cannot specify both --mac-address and per-network MAC address/);
    assert.throws(() => readNetworkFlags(['alias=x'], {}), /network name is required/);
    assert.throws(() => readNetworkFlags(['name=front,colour=red'], {}), /invalid field key colour/);
    assert.throws(() => readNetworkFlags(['name=front,ip6=fd00::2'], {}), /ip6 is not supported/);
  });
});
