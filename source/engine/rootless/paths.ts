// Where rootless strata keeps things by default, podman's way: the store under
// $XDG_DATA_HOME/strata (~/.local/share/strata), the runtime state under
// $XDG_RUNTIME_DIR/strata, or /tmp/strata-run-UID where the session has none. Pure: the CLI
// reads it before it knows anything else.
import path from 'node:path';
import { rootlessIds } from './mode.js';

export interface RootlessDefaults {
  root: string;
  runtimeDir: string;
}

/** The default store and runtime dir of user `uid`, from the environment (HOME must be set). */
export function rootlessDefaults(uid: number, env: NodeJS.ProcessEnv = process.env): RootlessDefaults {
  const home = env.HOME || '/';
  const data = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  const runtime = env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR) ? path.join(env.XDG_RUNTIME_DIR, 'strata') : `/tmp/strata-run-${uid}`;
  return { root: path.join(data, 'strata'), runtimeDir: runtime };
}

/** True when a process of uid `uid` must re-enter itself in its user namespace to do anything. */
export function needsRootlessEntry(uid: number | undefined): boolean {
  return uid !== undefined && uid !== 0;
}

/** The host uid of the user whose rootless strata this is (outside its namespace or in it), or undefined for root's strata. */
export function rootlessUser(uid: number | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (needsRootlessEntry(uid)) return uid;
  return rootlessIds(env)?.uid;
}
