// Reading a cgroup file that may be gone (the group removed, the controller absent).
import fs from 'node:fs';

export function tryRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
