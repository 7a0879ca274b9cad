// RUN's flags, parsed: `--mount=type=secret|cache|bind|tmpfs|ssh` (BuildKit's fields) and
// `--network=none|host|default`. Nothing a mount shows is part of the layer: the mount points
// the runtime made for them are taken out of the step's upper dir afterwards. type=ssh binds the
// agent socket `build --ssh` names and sets SSH_AUTH_SOCK, as BuildKit; like a secret, one not
// given is skipped unless `required`.
import fs from 'node:fs';
import path from 'node:path';
import type { MountRequest } from '../api.js';
import { parseRamBytes } from '../format/size.js';
import type { SourceFs } from './source-fs.js';

export type CacheSharing = 'shared' | 'private' | 'locked';

export type RunMount =
  | { type: 'secret'; target: string; source: string }
  | { type: 'cache'; id: string; target: string; sharing: CacheSharing; mode: number; uid: number; gid: number; from?: string; source: string; readOnly: boolean }
  | { type: 'bind'; target: string; from?: string; source: string; readWrite: boolean }
  | { type: 'tmpfs'; target: string; sizeBytes?: number }
  | { type: 'ssh'; target: string; source: string };

export interface RunFlags {
  mounts: RunMount[];
  network?: string; // undefined: the build's
  env: string[]; // SSH_AUTH_SOCK when an agent is mounted
  /** The flags as they weigh in the step's cache key (BuildKit keys a RUN by its mounts too). */
  key: string;
}

const TYPES = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];

/** The RUN flags as mounts and a network; `fail` for what is not supported or not given. */
export function runFlags(flags: Record<string, string[]>, given: { secrets?: Readonly<Record<string, string>>; ssh?: Readonly<Record<string, string>>; workdir?: string }, fail: (why: string) => Error): RunFlags {
  const out: RunFlags = { mounts: [], env: [], key: '' };
  let agents = 0;
  const keyParts: string[] = [];
  for (const [name, values] of Object.entries(flags)) {
    if (name === 'network') {
      const mode = values.at(-1)!;
      if (!['default', 'none', 'host'].includes(mode)) throw fail(`RUN --network=${mode}: use default, none or host`);
      out.network = mode === 'default' ? undefined : mode;
    } else if (name === 'mount') {
      for (const spec of values) {
        const mount = parseMount(spec, given.secrets ?? {}, given.ssh ?? {}, agents, given.workdir ?? '/', fail);
        if (mount) out.mounts.push(mount);
        if (mount?.type === 'ssh' && agents++ === 0) out.env.push(`SSH_AUTH_SOCK=${mount.target}`);
        if (!mount || mount.type !== 'secret') keyParts.push(spec);
        else keyParts.push(`secret:${mount.target}`); // the id and target, never the file's path
      }
    } else {
      throw fail(`RUN --${name} is not supported`);
    }
  }
  out.key = keyParts.join('\n');
  return out;
}

function parseMount(spec: string, secrets: Readonly<Record<string, string>>, agents: Readonly<Record<string, string>>, agentIndex: number, workdir: string, fail: (why: string) => Error): RunMount | undefined {
  const fields = new Map(spec.split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [kv.toLowerCase(), 'true'] : [kv.slice(0, eq).toLowerCase(), kv.slice(eq + 1)];
  }));
  const type = fields.get('type') ?? 'bind';
  if (!TYPES.includes(type)) throw fail(`unsupported mount type ${JSON.stringify(type)}`);
  const given = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
  const target = given === undefined || given.startsWith('/') ? given : path.posix.join('/', workdir, given); // relative: to the WORKDIR, as BuildKit
  const flag = (name: string) => ['true', '1', ''].includes((fields.get(name) ?? 'false').toLowerCase());
  const readOnly = flag('ro') || flag('readonly');
  const readWrite = flag('rw') || flag('readwrite');
  if (type === 'secret') {
    const id = fields.get('id') ?? (target !== undefined ? path.posix.basename(target) : undefined);
    if (!id) throw fail('RUN --mount=type=secret needs an id');
    const source = secrets[id];
    if (source === undefined) {
      if (flag('required')) throw fail(`secret ${id}: not given (build --secret id=${id},src=…)`);
      return undefined; // docker skips a secret that is not given unless it is required
    }
    return { type: 'secret', source, target: target ?? `/run/secrets/${id}` };
  }
  if (type === 'ssh') {
    const id = fields.get('id') || 'default';
    const source = agents[id];
    if (source === undefined) {
      if (flag('required')) throw fail(`no SSH key ${JSON.stringify(id)} forwarded from the client (build --ssh ${id}=SOCKET)`);
      return undefined;
    }
    return { type: 'ssh', source, target: target ?? `/run/buildkit/ssh_agent.${agentIndex}` };
  }
  if (target === undefined) throw fail(`RUN --mount=type=${type}: target is required`);
  if (type === 'tmpfs') {
    const size = fields.get('size');
    return { type: 'tmpfs', target, sizeBytes: size !== undefined ? parseRamBytes(size, 'RUN --mount=type=tmpfs,size') : undefined };
  }
  const from = fields.get('from');
  const source = (fields.get('source') ?? fields.get('src') ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (type === 'bind') return { type: 'bind', target, from, source, readWrite };
  const sharing = fields.get('sharing') ?? 'shared';
  if (sharing !== 'shared' && sharing !== 'private' && sharing !== 'locked') throw fail(`RUN --mount=type=cache: invalid sharing ${JSON.stringify(sharing)}: use shared, private or locked`);
  const number = (name: string, fallback: number, base = 10) => {
    const text = fields.get(name);
    if (text === undefined) return fallback;
    const n = parseInt(text, base);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw fail(`RUN --mount=type=cache: invalid ${name} ${JSON.stringify(text)}`);
    return n;
  };
  return {
    type: 'cache', id: fields.get('id') || target, target, sharing, mode: number('mode', 0o755, 8), uid: number('uid', 0), gid: number('gid', 0),
    from, source, readOnly,
  };
}

/** A runtime mount for a prepared host path. */
export function hostMount(source: string, target: string, readOnly: boolean): MountRequest {
  return { type: 'bind', source, target, readOnly };
}

/**
 * Takes out of a step's upper dir the mount points the runtime created for `mounts` (an empty
 * file or dir, and the parents it had to make), where the parent image has nothing there.
 */
export function removeMountPoints(upper: string, mounts: MountRequest[], parent: SourceFs): void {
  for (const mount of mounts) {
    let rel = mount.target.replace(/^\/+/, '').replace(/\/+$/, '');
    const st = fs.lstatSync(path.join(upper, rel), { throwIfNoEntry: false });
    if (!st || parent.stat(rel) || (st.isFile() && st.size > 0) || (st.isDirectory() && fs.readdirSync(path.join(upper, rel)).length > 0)) continue;
    if (st.isDirectory()) fs.rmdirSync(path.join(upper, rel));
    else fs.unlinkSync(path.join(upper, rel));
    for (rel = path.posix.dirname(rel); rel !== '.'; rel = path.posix.dirname(rel)) {
      const dir = path.join(upper, rel);
      if (!fs.existsSync(dir) || fs.readdirSync(dir).length > 0) break;
      fs.rmdirSync(dir); // new, or copied up only to hold the mount point: the lower one shows again
    }
  }
}
