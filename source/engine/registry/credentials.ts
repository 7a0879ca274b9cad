// Registry credentials: strata's own file first, then docker's config.json, so a user who has
// logged in with docker is logged in here too. Only strata's file is ever written: atomically,
// mode 0600, in docker's format ({"auths": {"host": {"auth": base64("user:password")}}}).
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { writeFileAtomic } from '../store/json-file.js';
import { DEFAULT_DOMAIN } from '../images/reference.js';

export interface Credentials {
  username: string;
  password: string; // or an identity token when username is <token>
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  [other: string]: unknown;
}

// docker keeps Docker Hub under its old v1 URL
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** The key a registry is filed under: the host[:port], Docker Hub under docker's historic URL. */
export function credentialKey(domain: string): string {
  return domain === DEFAULT_DOMAIN || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? DOCKER_HUB_KEY : domain;
}

function sameRegistry(key: string, domain: string): boolean {
  const want = credentialKey(domain);
  if (key === want) return true;
  const stripped = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return credentialKey(stripped) === want;
}

export class CredentialStore {
  constructor(readonly authFile: string, readonly dockerConfigFile: string) {}

  get(domain: string): Credentials | undefined {
    for (const file of [this.authFile, this.dockerConfigFile]) {
      const config = readConfig(file);
      for (const [key, entry] of Object.entries(config.auths ?? {})) {
        if (!sameRegistry(key, domain)) continue;
        const creds = decode(entry, file);
        if (creds) return creds;
      }
    }
    return undefined;
  }

  save(domain: string, creds: Credentials): void {
    const config = readConfig(this.authFile);
    const auths = config.auths ?? {};
    for (const key of Object.keys(auths)) if (sameRegistry(key, domain)) delete auths[key];
    auths[credentialKey(domain)] = { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') };
    this.write({ ...config, auths });
  }

  /** false when strata had nothing saved for the registry. */
  remove(domain: string): boolean {
    const config = readConfig(this.authFile);
    const auths = config.auths ?? {};
    const keys = Object.keys(auths).filter((key) => sameRegistry(key, domain));
    if (keys.length === 0) return false;
    for (const key of keys) delete auths[key];
    this.write({ ...config, auths });
    return true;
  }

  /** Whether docker's file (which strata does not write) has credentials for the registry. */
  inDockerConfig(domain: string): boolean {
    return Object.keys(readConfig(this.dockerConfigFile).auths ?? {}).some((key) => sameRegistry(key, domain));
  }

  private write(config: ConfigFile): void {
    fs.mkdirSync(path.dirname(this.authFile), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.authFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(this.authFile, 0o600);
  }
}

function readConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new EngineError(`cannot read ${file}: ${(err as Error).message}`, 'internal');
  }
  try {
    const parsed = JSON.parse(text) as ConfigFile;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch (err) {
    throw new EngineError(`${file} is not valid JSON: ${(err as Error).message}`, 'invalid');
  }
}

function decode(entry: AuthEntry, file: string): Credentials | undefined {
  if (entry.identitytoken) return { username: '<token>', password: entry.identitytoken };
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  if (!entry.auth) return undefined;
  const text = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) throw new EngineError(`${file}: the saved credentials are not "user:password" in base64`, 'invalid');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
