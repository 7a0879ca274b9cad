// RUN's flags: `--mount=type=secret,id=…[,target=…][,required]` binds a `build --secret` file
// read-only for that one command (never part of the layer: the mount points the runtime made
// for it are taken out of the step's upper dir afterwards), `--network=none|host|default`.
import fs from 'node:fs';
import path from 'node:path';
import type { MountRequest } from '../api.js';
import type { SourceFs } from './source-fs.js';

export interface RunFlags {
  mounts: MountRequest[];
  network?: string; // undefined: the build's
}

/** The RUN flags as mounts and a network; `fail` for what is not supported or not given. */
export function runFlags(flags: Record<string, string[]>, secrets: Readonly<Record<string, string>>, fail: (why: string) => Error): RunFlags {
  const out: RunFlags = { mounts: [] };
  for (const [name, values] of Object.entries(flags)) {
    if (name === 'network') {
      const mode = values.at(-1)!;
      if (!['default', 'none', 'host'].includes(mode)) throw fail(`RUN --network=${mode}: use default, none or host`);
      out.network = mode === 'default' ? undefined : mode;
    } else if (name === 'mount') {
      for (const spec of values) {
        const secret = secretMount(spec, secrets, fail);
        if (secret) out.mounts.push(secret);
      }
    } else {
      throw fail(`RUN --${name} is not supported`);
    }
  }
  return out;
}

function secretMount(spec: string, secrets: Readonly<Record<string, string>>, fail: (why: string) => Error): MountRequest | undefined {
  const fields = new Map(spec.split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [kv, 'true'] : [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
  const type = fields.get('type') ?? 'bind';
  if (type !== 'secret') throw fail(`RUN --mount=type=${type} is not supported (only type=secret)`);
  const id = fields.get('id') ?? (fields.has('target') ? path.posix.basename(fields.get('target')!) : undefined);
  if (!id) throw fail('RUN --mount=type=secret needs an id');
  const source = secrets[id];
  if (source === undefined) {
    if (fields.get('required') === 'true') throw fail(`secret ${id}: not given (build --secret id=${id},src=…)`);
    return undefined; // docker skips a secret that is not given unless it is required
  }
  return { type: 'bind', source, target: fields.get('target') ?? fields.get('dst') ?? `/run/secrets/${id}`, readOnly: true };
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
