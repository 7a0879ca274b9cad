// --userns at create: the mode asked for, or the config file's `userns` default (strata's
// `userns-remap`), and what a user namespace cannot be combined with.
import type { CreateOptions, UsernsMode } from '../api.js';
import { EngineError } from '../errors.js';
import { readConfigFile } from '../store/config-file.js';

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
