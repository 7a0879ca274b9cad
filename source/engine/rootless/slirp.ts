// Rootless networking, podman's default: the container gets a network namespace of its own
// whose tap0 slirp4netns routes through the user's sockets on the host (10.0.2.100/24, gateway
// 10.0.2.2, DNS forwarder 10.0.2.3); published ports are its host forwards. The monitor starts
// slirp4netns for each run and ends it with the run (CONTRACT.md, `slirp_path`).
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkAttachment, PublishedPort } from '../api.js';
import { EngineError } from '../errors.js';
import type { SpecEntries } from '../runtime/monitor-protocol.js';

export const SLIRP_MODE = 'slirp4netns';
export const SLIRP_DNS = '10.0.2.3';
const TUN = '/dev/net/tun';

/** slirp4netns on PATH, or undefined. */
export function findSlirp4netns(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH || '/usr/bin:/bin').split(':')) {
    const file = path.join(dir || '.', 'slirp4netns');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch { /* not here */ }
  }
  return undefined;
}

/** Why slirp4netns cannot serve this user here, or undefined when it can. */
export function slirpUnavailable(): string | undefined {
  if (!findSlirp4netns()) return 'slirp4netns is not installed (Debian package slirp4netns)';
  try {
    fs.accessSync(TUN, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    let mode = '';
    try { mode = ` (mode ${(fs.statSync(TUN).mode & 0o777).toString(8).padStart(4, '0')}; distributions make it 0666)`; } catch { /* none at all */ }
    return `slirp4netns needs ${TUN}, which this user cannot open${mode}`;
  }
  return undefined;
}

/** The network mode a rootless container gets for what was asked: docker's default bridge becomes slirp4netns. */
export function rootlessNetworkMode(asked: string | undefined): string {
  const mode = asked === undefined || asked === 'bridge' || asked === 'default' ? SLIRP_MODE : asked;
  const missing = mode === SLIRP_MODE ? slirpUnavailable() : undefined;
  if (missing) throw new EngineError(`rootless strata cannot network this container: ${missing}; use --network none or --network host`, 'invalid');
  return mode;
}

/** The monitor's entries for a run on slirp4netns, and the attachment `inspect` and `port` show. */
export function slirpRun(runDir: string, id: string, ports: PublishedPort[]): { entries: SpecEntries; attachment: NetworkAttachment } {
  const binary = findSlirp4netns();
  if (!binary) throw new EngineError('slirp4netns is not installed (Debian package slirp4netns)', 'invalid');
  // beside the attach sockets (RUNTIME/sock): a socket path must fit in 108 bytes
  const api = path.join(runDir, '..', '..', 'sock', `${id.slice(0, 24)}.s`);
  const entries: SpecEntries = [['slirp_path', binary], ['slirp_api', api]];
  for (const p of ports) entries.push(['slirp_port', `${p.protocol} ${p.hostIp} ${p.hostPort} ${p.containerPort}`]);
  return {
    entries,
    attachment: { network: SLIRP_MODE, networkId: '', bridge: '', ipAddress: '10.0.2.100', prefixLen: 24, gateway: '10.0.2.2', macAddress: '', sandboxKey: '', ports },
  };
}
