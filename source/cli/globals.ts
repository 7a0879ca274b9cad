// Options that come before the verb: where the store lives. Flags beat the environment,
// which beats the config file, which beats the defaults.
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors.js';
import { rootlessDefaults, rootlessUser } from '../engine/rootless/paths.js';

export const DEFAULT_ROOT = '/var/lib/strata';
export const DEFAULT_RUNTIME_DIR = '/run/strata';

export interface GlobalOptions {
  root: string;
  runtimeDir: string;
}

export interface GlobalFlags {
  root?: string;
  runtimeDir?: string;
  help?: boolean;
  version?: boolean;
}

// Where conf keeps its file for projectName 'strata' (env-paths, suffix "nodejs"), computed
// here so that conf itself is only loaded when the file exists (and node:os only without $HOME).
export async function configFilePath(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || (await import('node:os')).homedir(), '.config');
  return path.join(base, 'strata-nodejs', 'config.json');
}

interface ConfigValues {
  root?: string;
  runtimeDir?: string;
}

async function readConfig(env: NodeJS.ProcessEnv): Promise<ConfigValues> {
  const file = await configFilePath(env);
  if (!fs.existsSync(file)) return {};
  try {
    const { default: Conf } = await import('conf');
    const conf = new Conf<ConfigValues>({ projectName: 'strata', cwd: path.dirname(file) });
    return { root: conf.get('root'), runtimeDir: conf.get('runtimeDir') };
  } catch (err) {
    throw new CliError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
}

// Splits `[global flags] verb rest…`; the global flags are only accepted before the verb.
export function splitGlobalFlags(argv: readonly string[]): { flags: GlobalFlags; rest: string[] } {
  const flags: GlobalFlags = {};
  let i = 0;
  const valueOf = (name: string, arg: string): string => {
    const eq = arg.indexOf('=');
    if (eq !== -1) return arg.slice(eq + 1);
    if (i + 1 >= argv.length) throw new CliError(`flag needs an argument: --${name}`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--root' || arg.startsWith('--root=')) flags.root = valueOf('root', arg);
    else if (arg === '--runtime-dir' || arg.startsWith('--runtime-dir=')) flags.runtimeDir = valueOf('runtime-dir', arg);
    else if (arg === '-h' || arg === '--help') flags.help = true;
    else if (arg === '-v' || arg === '--version') flags.version = true;
    else if (arg === '--') {
      i++;
      break;
    } else if (arg.startsWith('-')) throw new CliError(`unknown flag: ${arg.split('=')[0]}`);
    else break;
  }
  return { flags, rest: argv.slice(i) };
}

// An unprivileged user's strata (rootless) keeps its store and runtime state in the user's own
// directories (XDG), podman's way.
export async function resolveGlobalOptions(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): Promise<GlobalOptions> {
  const needConfig = !(flags.root ?? env.STRATA_ROOT) || !(flags.runtimeDir ?? env.STRATA_RUNTIME_DIR);
  const config = needConfig ? await readConfig(env) : {};
  const user = rootlessUser(uid, env);
  const defaults = user === undefined ? { root: DEFAULT_ROOT, runtimeDir: DEFAULT_RUNTIME_DIR } : rootlessDefaults(user, env);
  const root = flags.root || env.STRATA_ROOT || config.root || defaults.root;
  const runtimeDir = flags.runtimeDir || env.STRATA_RUNTIME_DIR || config.runtimeDir || defaults.runtimeDir;
  return { root: path.resolve(root), runtimeDir: path.resolve(runtimeDir) };
}
