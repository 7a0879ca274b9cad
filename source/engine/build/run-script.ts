// RUN's command: the exec form, the shell form through SHELL, or a heredoc script — one that
// starts with `#!` written to a file bound in read-only and run as it is, as BuildKit does.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImageConfig, MountRequest } from '../api.js';
import type { ImageService } from '../images/image-service.js';
import { shellOf } from '../images/instructions.js';
import { dockerfileError, type Instruction } from './parser.js';

/** Where a RUN heredoc with a `#!` line is bound in and run from, as BuildKit does. */
const SCRIPT_DIR = '/dev/pipes';

/**
 * RUN's argv: exec form as given, shell form through SHELL, a bare heredoc as the script — run
 * as a file when it starts with `#!` (the kernel runs its interpreter), else through SHELL.
 */
export function runArgv(ins: Instruction, config: ImageConfig): { argv: string[]; script?: { name: string; body: string } } {
  if (ins.json) return { argv: ins.json };
  const shell = shellOf(config);
  if (ins.heredocs.length > 0) {
    const bare = /^<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1$/.test(ins.args.trim());
    const doc = ins.heredocs[0];
    if (bare && doc.body.startsWith('#!')) return { argv: [`${SCRIPT_DIR}/${doc.name}`], script: doc };
    if (bare) return { argv: [...shell, doc.body] };
    return { argv: [...shell, `${ins.args}\n${ins.heredocs.map((h) => `${h.body}${h.name}\n`).join('')}`] };
  }
  if (ins.args.trim() === '') throw dockerfileError(ins.line, 'RUN requires at least one argument');
  return { argv: [...shell, ins.args] };
}

/** The script written to a host dir bound read-only at SCRIPT_DIR for fn (no mount without one). */
export async function withScriptDir<T>(images: ImageService, script: { name: string; body: string } | undefined, fn: (mounts: MountRequest[]) => Promise<T>): Promise<T> {
  if (!script) return fn([]);
  const dir = path.join(images.paths.tmpDir, `build-script-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { mode: 0o755 });
  try {
    fs.writeFileSync(path.join(dir, script.name), script.body, { mode: 0o755 });
    return await fn([{ type: 'bind', source: dir, target: SCRIPT_DIR, readOnly: true }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
