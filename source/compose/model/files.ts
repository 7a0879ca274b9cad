// Which compose files a project is made of, where its directory is and what it is called, as
// docker compose decides: -f files in order (or COMPOSE_FILE), else compose.yaml (or .yml, or
// docker-compose.yaml/.yml) in the working directory or the nearest parent, with its override
// file; the project name from -p, COMPOSE_PROJECT_NAME, the file's `name:`, else the directory.
import fs from 'node:fs';
import path from 'node:path';
import { ComposeError } from './errors.js';

const CANDIDATES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
};

/** The files to read, in merge order. */
export function composeFiles(given: string[], cwd: string, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = env.COMPOSE_FILE ? env.COMPOSE_FILE.split(env.COMPOSE_PATH_SEPARATOR || path.delimiter).filter(Boolean) : [];
  const listed = given.length > 0 ? given : fromEnv;
  if (listed.length > 0) return listed.map((f) => (f === '-' ? f : path.resolve(cwd, f)));
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = CANDIDATES.find((name) => fs.existsSync(path.join(dir, name)));
    if (found) {
      const override = OVERRIDES[found].find((name) => fs.existsSync(path.join(dir, name)));
      return [path.join(dir, found), ...(override ? [path.join(dir, override)] : [])];
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new ComposeError(`no configuration file provided: not found (looked for ${CANDIDATES.join(', ')} in ${cwd} and its parents)`);
}

/** docker compose's normalisation: lower case, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

export function checkProjectName(name: string, from: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new ComposeError(`invalid project name "${name}" (${from}): must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`);
  }
  return name;
}
