// Turns docker's --user forms (name, uid, uid:gid, name:group) into numeric ids using the
// image's own /etc/passwd and /etc/group, as docker does.
import { EngineError } from '../errors.js';
import { readFileInRoot } from './scoped-path.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  groups: number[];
  home: string;
}

interface PasswdEntry { name: string; uid: number; gid: number; home: string }
interface GroupEntry { name: string; gid: number; members: string[] }

function parsePasswd(text: string | undefined): PasswdEntry[] {
  if (!text) return [];
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const f = line.split(':');
    return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' };
  }).filter((e) => Number.isInteger(e.uid) && Number.isInteger(e.gid));
}

function parseGroup(text: string | undefined): GroupEntry[] {
  if (!text) return [];
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const f = line.split(':');
    return { name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) };
  }).filter((e) => Number.isInteger(e.gid));
}

const isNumeric = (s: string) => /^\d+$/.test(s);

/** docker's --group-add: gids as given, names from the container's /etc/group. */
export function resolveGroupAdd(rootfs: string, groupAdd: string[]): number[] {
  if (groupAdd.length === 0) return [];
  const groups = parseGroup(readFileInRoot(rootfs, '/etc/group'));
  return groupAdd.map((g) => {
    if (isNumeric(g)) return Number(g);
    const found = groups.find((e) => e.name === g);
    if (!found) throw new EngineError(`Unable to find group ${g}: no matching entries in group file`, 'invalid');
    return found.gid;
  });
}

export function resolveUser(rootfs: string, spec: string): ResolvedUser {
  const passwd = parsePasswd(readFileInRoot(rootfs, '/etc/passwd'));
  const groups = parseGroup(readFileInRoot(rootfs, '/etc/group'));
  const [userPart, groupPart] = (spec || '0').split(':', 2);

  let entry: PasswdEntry | undefined;
  let uid: number;
  if (isNumeric(userPart)) {
    uid = Number(userPart);
    entry = passwd.find((e) => e.uid === uid);
  } else {
    entry = passwd.find((e) => e.name === userPart);
    if (!entry) throw new EngineError(`unable to find user ${userPart}: no matching entries in passwd file`, 'invalid');
    uid = entry.uid;
  }

  let gid = entry?.gid ?? 0;
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const group = groups.find((g) => g.name === groupPart);
      if (!group) throw new EngineError(`unable to find group ${groupPart}: no matching entries in group file`, 'invalid');
      gid = group.gid;
    }
  }

  const supplementary = entry && groupPart === undefined
    ? groups.filter((g) => g.members.includes(entry!.name) && g.gid !== gid).map((g) => g.gid)
    : [];
  return { uid, gid, groups: supplementary, home: entry?.home || '/' };
}
