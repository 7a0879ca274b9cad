// Where the registry client finds its settings: strata's own credentials file (written by
// `login`, mode 0600) beside strata's config file, docker's config.json (read, never written)
// the registries the config file names insecure (`"insecureRegistries": ["host:port"]`) and the
// transfer timeouts (`"registry": {"connectTimeoutMs": 30000, "idleTimeoutMs": 30000}`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from './http.js';

export interface RegistrySettings {
  authFile: string; // strata's credentials, e.g. ~/.config/strata-nodejs/auth.json
  dockerConfigFile: string; // ~/.docker/config.json, or $DOCKER_CONFIG/config.json
  insecure: string[];
  timeouts: HttpTimeouts;
}

export function strataConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'strata-nodejs');
}

export function defaultRegistrySettings(env: NodeJS.ProcessEnv = process.env): RegistrySettings {
  const dir = strataConfigDir(env);
  return {
    authFile: path.join(dir, 'auth.json'),
    dockerConfigFile: path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json'),
    ...readConfigFile(path.join(dir, 'config.json')),
  };
}

interface ConfigFile {
  insecureRegistries?: unknown;
  registry?: { connectTimeoutMs?: unknown; idleTimeoutMs?: unknown };
}

function readConfigFile(file: string): Pick<RegistrySettings, 'insecure' | 'timeouts'> {
  let config: ConfigFile = {};
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8')) as ConfigFile;
  } catch {
    /* no config file, or one the CLI reports on its own */
  }
  const value = config?.insecureRegistries;
  return {
    insecure: Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [],
    timeouts: {
      connectMs: positive(config?.registry?.connectTimeoutMs) ?? DEFAULT_TIMEOUTS.connectMs,
      idleMs: positive(config?.registry?.idleTimeoutMs) ?? DEFAULT_TIMEOUTS.idleMs,
    },
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
