// podman as a peer for archive tests, with a store of its own under a temp dir (vfs driver:
// no mounts to leave behind), so the host's podman images are never touched.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mountsUnder } from '../../support/test-engine.js';

export interface Podman {
  run(args: string[], input?: Buffer): { status: number; stdout: string; stderr: string };
  ok(args: string[]): string;
  cleanup(): void;
}

export const hasPodman = spawnSync('podman', ['--version']).status === 0;

// ownState: podman's state directory (pods, the alive file) of its own too, not the host's /run/libpod,
// which another podman with another store would take for a reboot's (kube play makes pods).
export function makePodman(base: string, opts: { ownState?: boolean } = {}): Podman {
  const dir = fs.mkdtempSync(path.join(base, 'podman-'));
  const global = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs', '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none',
    ...(opts.ownState ? ['--tmpdir', path.join(dir, 'state')] : [])];
  const run = (args: string[], input?: Buffer) => {
    const r = spawnSync('podman', [...global, ...args], { input, encoding: 'buffer', timeout: 120_000, env: { ...process.env, TMPDIR: dir } });
    if (r.error) throw r.error;
    return { status: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  };
  return {
    run,
    ok(args) {
      const r = run(args);
      if (r.status !== 0) throw new Error(`podman ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      return r.stdout;
    },
    cleanup() {
      run(['rm', '-a', '-f']);
      run(['rmi', '-a', '-f']);
      for (const m of mountsUnder(dir).reverse()) spawnSync('umount', ['-l', m]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The flags podman needs on this host to run a container (see the brief). */
export const PODMAN_RUN = ['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
