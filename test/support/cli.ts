// A throw-away store driven through the built CLI (dist/strata.js), as a user would drive it:
// its own root, runtime dir and config home under /tmp, the busybox image imported on demand,
// and a close that releases its bridge and mounts before removing the folder.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess, type ChildProcessByStdio, type SpawnOptions, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { mountsUnder, releaseNetworksUnder } from './test-engine.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO, 'dist/strata.js');

/** Why a CLI test file cannot run here, or false: for `describe(…, { skip })`. */
export function cliSkip(needsRoot = true): string | false {
  if (needsRoot && process.getuid?.() !== 0) return 'needs root';
  return fs.existsSync(CLI) ? false : 'dist/strata.js is not built';
}

export function explain(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

export interface StrataOptions { input?: string; timeout?: number; env?: NodeJS.ProcessEnv }

export class CliStore {
  workDir = '';
  root = '';
  runtimeDir = '';
  configHome = '';

  constructor(private readonly prefix: string) {}

  /** Makes the folders; call from `before`. */
  open(): void {
    this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), this.prefix));
    this.root = path.join(this.workDir, 'root');
    this.runtimeDir = path.join(this.workDir, 'run');
    this.configHome = path.join(this.workDir, 'config');
  }

  /** node's argv for `strata ARGS` on this store. */
  argv(args: string[]): string[] {
    return [CLI, '--root', this.root, '--runtime-dir', this.runtimeDir, ...args];
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, XDG_CONFIG_HOME: this.configHome, ...extra };
  }

  /** `strata ARGS`, waited for; stdin is empty unless `input` is given. */
  readonly strata = (args: string[], opts: StrataOptions = {}): SpawnSyncReturns<string> => {
    const r = spawnSync(process.execPath, this.argv(args), {
      encoding: 'utf8', input: opts.input ?? '', timeout: opts.timeout ?? 120_000, env: this.env(opts.env),
    });
    if (r.error) throw r.error;
    return r;
  };

  /** `strata ARGS` that must succeed: its stdout. */
  readonly ok = (args: string[], opts: StrataOptions = {}): string => {
    const r = this.strata(args, opts);
    assert.equal(r.status, 0, `strata ${args.join(' ')}: ${explain(r)}`);
    return r.stdout;
  };

  /** `strata ARGS` left running, for tests that kill or race it. */
  spawn(args: string[], opts: SpawnOptions = {}): ChildProcess {
    return spawn(process.execPath, this.argv(args), { ...opts, env: this.env(opts.env) });
  }

  /** `strata ARGS` left running with its output piped to the test and no stdin. */
  spawnPiped(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessByStdio<null, Readable, Readable> {
    return spawn(process.execPath, this.argv(args), { stdio: ['ignore', 'pipe', 'pipe'], env: this.env(env) });
  }

  /** Imports the busybox rootfs as REF with the given --change lines (CMD ["sh"] by default): import's output. */
  async importBusybox(ref: string, changes: string[] = ['CMD ["sh"]']): Promise<string> {
    const tar = path.join(this.workDir, 'busybox.tar');
    if (!fs.existsSync(tar)) await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
    return this.ok(['import', tar, ref, ...changes.flatMap((c) => ['-c', c])]);
  }

  /** Container ids in the store, by its directory (what `ps` cannot show after a kill). */
  containerDirs(): string[] {
    return fs.readdirSync(path.join(this.root, 'containers')).filter((n) => /^[0-9a-f]{64}$/.test(n));
  }

  /** Removes every container, releases the store's bridge, unmounts what is left and removes the folder. */
  async close(): Promise<void> {
    if (!this.workDir || !fs.existsSync(this.workDir)) return;
    if (fs.existsSync(path.join(this.root, 'containers'))) {
      const ids = this.strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) this.strata(['rm', '-f', ...ids]);
    }
    await releaseNetworksUnder(this.workDir);
    for (const m of mountsUnder(this.workDir).reverse()) execFileSync('umount', ['-l', m]);
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}
