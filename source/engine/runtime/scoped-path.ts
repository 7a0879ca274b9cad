// Resolves a path inside a container root the way the container would see it: symlinks
// are followed relative to that root and can never lead out of it (the CVE-2018-15664 class).
import fs from 'node:fs';
import path from 'node:path';

const MAX_LINKS = 40;

export function resolveInRoot(root: string, inside: string): string {
  const parts = inside.split('/').filter((p) => p && p !== '.');
  let current = '/';
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === '..') {
      current = path.posix.dirname(current);
      continue;
    }
    const candidate = path.posix.join(current, part);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(path.join(root, candidate));
    } catch {
      stat = undefined;
    }
    if (stat?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`too many levels of symbolic links: ${inside}`), { code: 'ELOOP' });
      const target = fs.readlinkSync(path.join(root, candidate));
      if (target.startsWith('/')) current = '/';
      parts.unshift(...target.split('/').filter((p) => p && p !== '.'));
      continue;
    }
    current = candidate;
  }
  return path.join(root, current);
}

export function readFileInRoot(root: string, inside: string): string | undefined {
  try {
    return fs.readFileSync(resolveInRoot(root, inside), 'utf8');
  } catch {
    return undefined;
  }
}
