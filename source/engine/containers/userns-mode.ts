// --userns at create: the mode asked for, or the config file's `userns` default (strata's
// `userns-remap`), and what a user namespace cannot be combined with.
import fs from 'node:fs';
import os from 'node:os';
import type { CreateOptions, UsernsMode, UsernsSupport } from '../api.js';
import { EngineError } from '../errors.js';
import { readConfigFile } from '../store/config-file.js';
import { isRootless } from '../rootless/mode.js';

export function defaultUsernsMode(env: NodeJS.ProcessEnv = process.env): UsernsMode {
  const configured = readConfigFile(env).userns;
  return configured === 'auto' ? 'auto' : 'host';
}

export function usernsModeFor(opts: CreateOptions, env: NodeJS.ProcessEnv = process.env): UsernsMode {
  const asked = opts.userns;
  if (asked === 'keep-id' || asked?.startsWith('keep-id:')) {
    throw new EngineError('--userns=keep-id maps the calling user into a rootless container; strata runs containers as root: use --userns=auto or --userns=host', 'invalid');
  }
  if (asked !== undefined && asked !== '' && asked !== 'auto' && asked !== 'host') {
    throw new EngineError(`invalid --userns mode ${JSON.stringify(asked)}: use auto or host`, 'invalid');
  }
  const mode: UsernsMode = asked === 'auto' || asked === 'host' ? asked : defaultUsernsMode(env);
  if (mode !== 'auto') return mode;
  // only an explicit --userns=auto is refused: a config default yields to these, as docker's
  // userns-remap does for --privileged and the host's namespaces
  const conflict = opts.privileged ? '--privileged'
    : opts.pidMode === 'host' || opts.pidMode?.startsWith('container:') ? `--pid=${opts.pidMode}`
      : opts.ipcMode === 'host' ? '--ipc=host' : undefined;
  if (conflict && asked === 'auto') throw new EngineError(`--userns=auto cannot be combined with ${conflict}: the container's root would act on namespaces its user namespace does not own`, 'invalid');
  return conflict ? 'host' : 'auto';
}

/** What `info` says of user namespaces here: the kernel's switch, and idmapped overlay layers (Linux 5.19+). */
export function usernsSupport(release = os.release(), env: NodeJS.ProcessEnv = process.env): UsernsSupport {
  let max = 0;
  try {
    max = Number(fs.readFileSync('/proc/sys/user/max_user_namespaces', 'utf8').trim()) || 0;
  } catch { /* no user namespaces in this kernel */ }
  const [major, minor] = release.split('.').map((n) => parseInt(n, 10));
  const idmappedOverlay = major > 5 || (major === 5 && minor >= 19);
  const available = max > 0 && idmappedOverlay;
  const detail = max <= 0 ? 'the kernel allows no user namespaces (user.max_user_namespaces is 0)'
    : !idmappedOverlay ? `kernel ${release} cannot put overlayfs on idmapped layers (Linux 5.19 and later can)`
      : 'user namespaces and overlayfs on idmapped layers';
  if (isRootless()) return { available: false, idmappedMounts: idmappedOverlay, defaultMode: 'host', detail: 'rootless: every container runs in the user\'s own user namespace' };
  return { available, idmappedMounts: idmappedOverlay, defaultMode: defaultUsernsMode(env), detail };
}
