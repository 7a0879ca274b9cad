// The host canary of the security suite: what an escape would most likely touch on the host —
// its /dev nodes, key /etc files and strata's own binaries — taken before a suite's escape
// tests and compared after them (type, device number, mode, owner, content hash). The attack run
// that found /dev/null replaced by a regular file had no such check.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'].map((n) => `/dev/${n}`);
// (not /etc/subuid and /etc/subgid: strata's user namespaces add their range there on first use)
const ETC = ['passwd', 'shadow', 'group', 'gshadow', 'hosts', 'hostname', 'resolv.conf', 'sudoers', 'ld.so.preload'].map((n) => `/etc/${n}`);

function strataBinaries(): string[] {
  const dist = path.join(repo, 'dist');
  const built = fs.existsSync(dist) ? fs.readdirSync(dist).filter((n) => /\.m?js$/.test(n)).map((n) => path.join(dist, n)) : [];
  return [...built, ...['strata-shim', 'strata-init', 'strata.node'].map((n) => path.join(repo, 'build/Release', n))];
}

function fileType(st: fs.Stats): string {
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isDirectory()) return 'dir';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'file';
}

/** One path's identity, as a line that a difference shows readably. */
async function describe(file: string): Promise<string> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return 'missing';
  }
  const type = fileType(st);
  const base = `${type} mode ${(st.mode & 0o7777).toString(8)} owner ${st.uid}:${st.gid}`;
  if (type === 'char' || type === 'block') return `${base} rdev ${st.rdev}`;
  if (type === 'symlink') return `${base} -> ${fs.readlinkSync(file)}`;
  if (type !== 'file') return base;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return `${base} sha256 ${hash.digest('hex')}`;
}

export type HostCanary = Map<string, string>;

/** Takes the canary (call it in before(), ahead of anything the suite runs). */
export async function hostCanary(): Promise<HostCanary> {
  const out: HostCanary = new Map();
  for (const file of [...DEVICES, ...ETC, ...strataBinaries()]) out.set(file, await describe(file));
  return out;
}

/** Throws naming every canary path that changed since `before` (call it in after()). */
export async function assertHostUnchanged(before: HostCanary): Promise<void> {
  const changed: string[] = [];
  for (const [file, was] of before) {
    const now = await describe(file);
    if (now !== was) changed.push(`${file}: was ${was}, now ${now}`);
  }
  if (changed.length > 0) throw new Error(`the host changed during the security tests:\n${changed.join('\n')}`);
}
