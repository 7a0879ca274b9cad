// Where the registry client finds its settings: strata's own credentials file (written by
// `login`, mode 0600) beside strata's config file, docker's config.json (read, never written)
// and the registries the config file names insecure (`"insecureRegistries": ["host:port"]`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RegistrySettings {
  authFile: string; // strata's credentials, e.g. ~/.config/strata-nodejs/auth.json
  dockerConfigFile: string; // ~/.docker/config.json, or $DOCKER_CONFIG/config.json
  insecure: string[];
}

export function strataConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'strata-nodejs');
}

export function defaultRegistrySettings(env: NodeJS.ProcessEnv = process.env): RegistrySettings {
  const dir = strataConfigDir(env);
  return {
    authFile: path.join(dir, 'auth.json'),
    dockerConfigFile: path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json'),
    insecure: readInsecure(path.join(dir, 'config.json')),
  };
}

function readInsecure(file: string): string[] {
  try {
    const value = (JSON.parse(fs.readFileSync(file, 'utf8')) as { insecureRegistries?: unknown }).insecureRegistries;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return []; // no config file, or one the CLI reports on its own
  }
}
