// Where the registry client finds its settings: strata's own credentials file (written by
// `login`, mode 0600) beside strata's config file, docker's config.json (read, never written)
// the registries the config file names insecure (`"insecureRegistries": ["host:port"]`) and the
// transfer timeouts (`"registry": {"connectTimeoutMs": 30000, "idleTimeoutMs": 30000}`).
import os from 'node:os';
import path from 'node:path';
import { positiveNumber, readConfigFile, strataConfigDir } from '../store/config-file.js';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from './http.js';

export { strataConfigDir };

export interface RegistrySettings {
  authFile: string; // strata's credentials, e.g. ~/.config/strata-nodejs/auth.json
  dockerConfigFile: string; // ~/.docker/config.json, or $DOCKER_CONFIG/config.json
  insecure: string[];
  timeouts: HttpTimeouts;
}

export function defaultRegistrySettings(env: NodeJS.ProcessEnv = process.env): RegistrySettings {
  const config = readConfigFile(env) as { insecureRegistries?: unknown; registry?: { connectTimeoutMs?: unknown; idleTimeoutMs?: unknown } };
  const insecure = config.insecureRegistries;
  return {
    authFile: path.join(strataConfigDir(env), 'auth.json'),
    dockerConfigFile: path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json'),
    insecure: Array.isArray(insecure) ? insecure.filter((v): v is string => typeof v === 'string') : [],
    timeouts: {
      connectMs: positiveNumber(config.registry?.connectTimeoutMs) ?? DEFAULT_TIMEOUTS.connectMs,
      idleMs: positiveNumber(config.registry?.idleTimeoutMs) ?? DEFAULT_TIMEOUTS.idleMs,
    },
  };
}
