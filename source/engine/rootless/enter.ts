// An unprivileged user's strata re-enters itself in the user's user namespace (podman's
// re-exec): strata-rootless joins or makes it (native/rootless/rootless.c) and runs this same
// command again there, as that namespace's root. Never returns.
import fs from 'node:fs';
import { execReplace, rootlessHelperPath } from '../../native.js';
import { EngineError } from '../errors.js';

/** Makes the runtime dir, private to the user (a /tmp fallback must not be someone else's). */
function ensurePrivateDir(dir: string, uid: number): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new EngineError(`rootless runtime dir ${dir} must be a directory of uid ${uid} with mode 0700`, 'invalid');
  }
}

/** Replaces this process by the same strata command inside the user namespace whose pause process lives in runtimeDir. */
export function enterUserNamespace(runtimeDir: string): never {
  const uid = process.getuid?.() ?? 0;
  ensurePrivateDir(runtimeDir, uid);
  if (!fs.existsSync(rootlessHelperPath)) throw new EngineError(`rootless strata needs ${rootlessHelperPath}: run \`npm install\` to build it`, 'internal');
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  return execReplace(rootlessHelperPath, ['enter', runtimeDir, ...argv]);
}
