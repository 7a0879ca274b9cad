// The one place that loads the C addon; everything else imports the typed functions from here.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';

interface Addon {
  flock(fd: number, exclusive: boolean, nonBlocking: boolean): boolean;
}

function findBuildDir(): string {
  // Works from source/ (tsx), from dist/ (bundle) and from any depth below the package root.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'build', 'Release');
    if (fs.existsSync(path.join(candidate, 'strata.node'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('strata native addon not built: run `npm install` (needs python3, make and a C compiler)');
}

const buildDir = findBuildDir();
const addon = createRequire(import.meta.url)(path.join(buildDir, 'strata.node')) as Addon;

export const shimPath = path.join(buildDir, 'strata-shim');

export function flock(fd: number, exclusive: boolean, nonBlocking: boolean): boolean {
  return addon.flock(fd, exclusive, nonBlocking);
}
