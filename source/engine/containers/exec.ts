// `exec`: a new process inside a running container, through `strata-shim exec`, which
// joins the container's namespaces and cgroups with the container's own privileges.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { ContainerRecord, ExecHandle, ExecOptions } from '../api.js';
import { EngineError } from '../errors.js';
import { shimPath } from '../../native.js';
import { writeSpec } from '../runtime/monitor-protocol.js';
import { joinFiles } from '../runtime/cgroups.js';
import { containerEnv, namespacesFor, rlimitEntries, securityEntries, type SpecEntries } from '../runtime/run-spec.js';
import { resolveGroupAdd, resolveUser } from '../runtime/users.js';
import type { ContainerPaths } from './paths.js';

export function buildExecSpec(record: ContainerRecord, rootfs: string, opts: ExecOptions): SpecEntries {
  if (opts.cmd.length === 0) throw new EngineError('exec: no command specified', 'invalid');
  const user = resolveUser(rootfs, opts.user ?? record.config.user);
  const env = containerEnv({ ...record, config: { ...record.config, env: [...record.config.env, ...(opts.env ?? []) ], tty: !!opts.tty } }, user);
  const entries: SpecEntries = [['id', record.id], ['target_pid', String(record.state.pid)]];
  for (const a of opts.cmd) entries.push(['arg', a]);
  for (const e of env) entries.push(['env', e]);
  entries.push(['cwd', opts.workdir || record.config.workdir || '/']);
  entries.push(['user', `${user.uid}:${user.gid}`]);
  // docker's exec: the container's --group-add groups and --ulimit limits too
  entries.push(['groups', [...new Set([...user.groups, ...resolveGroupAdd(rootfs, record.hostConfig.groupAdd ?? [])])].join(',')]);
  entries.push(...rlimitEntries(record.hostConfig));
  for (const ns of namespacesFor(record.hostConfig)) entries.push(['ns', ns]);
  entries.push(...securityEntries(record, record.hostConfig.privileged || !!opts.privileged));
  entries.push(['tty', opts.tty ? '1' : '0']);
  for (const f of joinFiles(record.cgroupPaths)) entries.push(['cgroup_join', f]);
  return entries;
}

export function prepareExec(record: ContainerRecord, paths: ContainerPaths, opts: ExecOptions): { shim: string; args: string[]; specPath: string } {
  if (!record.state.running) throw new EngineError(`container ${record.id} is not running`, 'conflict');
  if (record.state.paused) throw new EngineError(`container ${record.id} is paused, unpause the container before exec`, 'conflict');
  const specPath = paths.execSpec(record.id, crypto.randomBytes(8).toString('hex'));
  fs.mkdirSync(paths.runDir(record.id), { recursive: true, mode: 0o700 });
  fs.writeFileSync(specPath, writeSpec(buildExecSpec(record, paths.rootfs(record.id), opts)), { mode: 0o600 });
  return { shim: shimPath, args: ['exec', specPath], specPath };
}

export function runExec(record: ContainerRecord, paths: ContainerPaths, opts: ExecOptions, stdio: 'inherit' | 'pipe'): { handle: ExecHandle; child: ChildProcess } {
  const { shim, args, specPath } = prepareExec(record, paths, opts);
  const child = spawn(shim, args, { stdio: stdio === 'inherit' ? 'inherit' : ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(new EngineError(`exec: cannot run ${shim}: ${err.message}`, 'internal')));
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
  exited.finally(() => fs.rmSync(specPath, { force: true })).catch(() => {});
  return { handle: { pid: child.pid ?? 0, exited, kill: (sig) => child.kill(sig) }, child };
}

