// A throw-away engine for tests: its own root and runtime dir under /tmp, the busybox
// image imported once, and a cleanup that proves nothing was left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Engine } from '../../source/engine/engine.js';
import { cgroupPathsFor } from '../../source/engine/runtime/cgroups.js';
import { busyboxRootfsTar } from '../../source/engine/demo.js';

export const IMAGE = 'test/busybox:latest';

export interface TestEngine {
  engine: Engine;
  root: string;
  runtimeDir: string;
  base: string;
  cleanup(): Promise<void>;
}

export function mountsUnder(dir: string): string[] {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m !== undefined && m.startsWith(dir));
}

// credentialsInBase: registry logins are saved (and docker's config.json read) under the temp dir,
// never in the user's own files
export async function makeTestEngine(opts: { importBusybox?: boolean; credentialsInBase?: boolean } = {}): Promise<TestEngine> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-test-'));
  const root = path.join(base, 'root');
  const runtimeDir = path.join(base, 'run');
  const registry = opts.credentialsInBase ? { authFile: path.join(base, 'config', 'auth.json'), dockerConfigFile: path.join(base, 'docker-config', 'config.json') } : undefined;
  const engine = new Engine({ root, runtimeDir, ...(registry ? { registry } : {}) });
  const created: string[] = [];
  engine.on((e) => { if (e.type === 'container' && e.action === 'create') created.push(e.id); });
  if (opts.importBusybox !== false) await engine.importImage(busyboxRootfsTar(), IMAGE, { changes: ['CMD ["sh"]'] });
  return {
    engine, root, runtimeDir, base,
    async cleanup() {
      for (const c of await engine.listContainers(true)) await engine.removeContainer(c.id, true).catch(() => {});
      await engine.releaseIdleNetworks(); // this root's bridge and nft table
      await engine.close();
      const problems: string[] = [];
      const left = mountsUnder(base);
      for (const m of left.reverse()) {
        problems.push(`mount left behind: ${m}`);
        execFileSync('umount', ['-l', m]);
      }
      for (const id of created) {
        for (const dir of Object.values(cgroupPathsFor(id))) {
          if (fs.existsSync(dir)) { problems.push(`cgroup left behind: ${dir}`); fs.rmdirSync(dir); }
        }
      }
      fs.rmSync(base, { recursive: true, force: true });
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
  };
}

/** Collects a container's whole log as text, stdout and stderr apart and interleaved. */
export async function collectLogs(engine: Engine, ref: string): Promise<{ stdout: string; stderr: string; all: Array<[string, string]> }> {
  let stdout = '';
  let stderr = '';
  const all: Array<[string, string]> = [];
  for await (const e of engine.readLogs(ref)) {
    if (e.stream === 'stdout') stdout += e.line; else stderr += e.line;
    all.push([e.stream, e.line]);
  }
  return { stdout, stderr, all };
}

/** Runs a command to completion in a new container; returns exit code and output. */
export async function runToEnd(engine: Engine, cmd: string[], extra: Partial<Parameters<Engine['createContainer']>[0]> = {}) {
  const { record } = await engine.runContainer({ image: IMAGE, cmd, ...extra });
  const exitCode = await engine.waitContainer(record.id);
  const logs = await collectLogs(engine, record.id);
  const after = await engine.inspectContainer(record.id);
  await engine.removeContainer(record.id, true);
  return { exitCode, ...logs, record: after };
}

/** Runs `exec` with pipes and gathers its output. */
export async function execCollect(engine: Engine, ref: string, cmd: string[], extra: { env?: string[]; user?: string; workdir?: string } = {}) {
  const { handle, child } = await engine.exec(ref, { cmd, ...extra }, 'pipe');
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdin!.end();
  const exitCode = await handle.exited;
  await new Promise((r) => setImmediate(r));
  return { exitCode, stdout, stderr };
}

/**
 * For tests that run the CLI on stores of their own: takes down the idle bridges and nft tables
 * of every store found in `dir` (to two levels down), before the folder is removed.
 */
export async function releaseNetworksUnder(dir: string, depth = 2): Promise<void> {
  if (!fs.existsSync(dir)) return;
  if (fs.existsSync(path.join(dir, 'networks'))) {
    const engine = new Engine({ root: dir, runtimeDir: path.join(dir, '.release-run') });
    try {
      await engine.releaseIdleNetworks();
    } finally {
      await engine.close();
    }
    return;
  }
  if (depth === 0) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await releaseNetworksUnder(path.join(dir, entry.name), depth - 1);
  }
}
