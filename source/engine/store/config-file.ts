// strata's config file (~/.config/strata-nodejs/config.json, or under $XDG_CONFIG_HOME), read
// by the engine parts that take settings from it; a missing or broken file reads as empty (the
// CLI reports a broken one on its own).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function strataConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'strata-nodejs');
}

export function readConfigFile(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(path.join(strataConfigDir(env), 'config.json'), 'utf8'));
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** A positive number from the config file, or undefined for anything else. */
export function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
