// podman and skopeo as the peers strata must interoperate with: podman in its own throw-away
// storage (vfs: no mounts left behind) builds images from the busybox rootfs and pushes them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { busyboxRootfsTar } from '../../../source/engine/demo.js';

export interface Podman {
  dir: string;
  rootfsTar: string;
  run(args: string[], opts?: { input?: string }): string;
  build(tag: string, containerfile: string, files?: Record<string, string>, platform?: string): string;
  cleanup(): void;
}

export async function makePodman(): Promise<Podman> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-podman-'));
  const rootfsTar = path.join(dir, 'rootfs.tar');
  await pipeline(busyboxRootfsTar(), fs.createWriteStream(rootfsTar));
  const base = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs', '--runtime', 'runc'];
  const run = (args: string[], opts: { input?: string } = {}) => execFileSync('podman', [...base, ...args], { encoding: 'utf8', input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  let builds = 0;
  return {
    dir,
    rootfsTar,
    run,
    build(tag, containerfile, files = {}, platform) {
      const context = path.join(dir, `ctx-${builds++}`);
      fs.mkdirSync(context);
      fs.copyFileSync(rootfsTar, path.join(context, 'rootfs.tar'));
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(context, name), text);
      fs.writeFileSync(path.join(context, 'Containerfile'), containerfile);
      return run(['build', '-q', ...(platform ? ['--platform', platform] : []), '-t', tag, context]);
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function skopeo(args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
