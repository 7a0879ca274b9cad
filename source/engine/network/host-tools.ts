// The one place that runs the host's network tools (iproute2, nftables, util-linux). They are
// run synchronously: each call takes a few milliseconds, and teardown must also work from the
// synchronous paths that notice a container has exited.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { EngineError } from '../errors.js';

export function runTool(cmd: string, args: string[], input?: string): string {
  try {
    return execFileSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new EngineError(`networking needs \`${cmd}\` (install iproute2, nftables and util-linux)`, 'internal');
    const why = (e.stderr ?? '').trim().split('\n').filter(Boolean).slice(0, 2).join(': ') || e.message;
    throw new EngineError(`${cmd} ${args.slice(0, 3).join(' ')}…: ${why}`, 'internal');
  }
}

/** Like runTool, but a failure is ignored: for teardown of things that may already be gone. */
export function tryTool(cmd: string, args: string[], input?: string): boolean {
  try {
    execFileSync(cmd, args, { input, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}

// /sys instead of `ip link show`: no process to start on the hot path of a container start
export function linkExists(name: string): boolean {
  return fs.existsSync(`/sys/class/net/${name}`);
}
