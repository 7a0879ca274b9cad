// Whether this strata process is rootless: an unprivileged user's strata, re-entered by
// strata-rootless into the user's own user namespace (root there is the user outside). Cheap
// and synchronous: read once, at first use, from /proc/self/uid_map and the environment.
import fs from 'node:fs';

/** The unprivileged user's ids on the host, for a rootless strata process. */
export interface RootlessIds {
  uid: number;
  gid: number;
}

let userns: boolean | undefined;

/** True when this process runs in a user namespace other than the host's (its uid_map is not the identity). */
export function inUserNamespace(): boolean {
  if (userns === undefined) {
    try {
      const [inside, outside, count] = fs.readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).map(Number);
      userns = !(inside === 0 && outside === 0 && count === 4294967295);
    } catch {
      userns = false;
    }
  }
  return userns;
}

/** The user's host ids when this process is rootless strata (in its user namespace), else undefined. */
export function rootlessIds(env: NodeJS.ProcessEnv = process.env): RootlessIds | undefined {
  const uid = Number(env.STRATA_ROOTLESS_UID);
  const gid = Number(env.STRATA_ROOTLESS_GID);
  if (!env.STRATA_ROOTLESS_UID || !Number.isInteger(uid) || !Number.isInteger(gid) || !inUserNamespace()) return undefined;
  return { uid, gid };
}

export function isRootless(): boolean {
  return rootlessIds() !== undefined;
}
