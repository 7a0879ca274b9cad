// The TUI's entry point, loaded only by dynamic import so CLI verbs never pay for Ink/React.
import type { EngineApi } from '../engine/api.js';
import type { TuiOverrides } from './config.js';
import { readTuiOverrides } from './config-file.js';

export interface TuiOptions {
  configFile?: string; // the strata config file; its `tui` key holds keys, theme, refreshMs
  overrides?: TuiOverrides; // beat the config file
}

let loading: Promise<typeof import('./start.js')> | undefined;

/** Starts loading Ink, React and the app (the bulk of the first frame's wait) while the caller opens the engine. */
export function preloadTui(): void {
  loading ??= loadStart();
}

async function loadStart(): Promise<typeof import('./start.js')> {
  // React picks its build when first loaded: the development one checks and logs every render
  // and costs several times the CPU. A user's TUI is production unless a developer says
  // otherwise. (Through a variable: the bundler replaces `process.env.NODE_ENV` itself.)
  const env = process.env;
  env.NODE_ENV ??= 'production';
  // Ink stops drawing frames when it thinks it runs in CI (it reads CI once, on load); a
  // TUI the user opened in a terminal must draw regardless.
  const ci = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  try {
    return await import('./start.js');
  } finally {
    for (const [key, value] of Object.entries(ci)) if (value !== undefined) env[key] = value;
  }
}

export async function runTui(engine: EngineApi, options: TuiOptions = {}): Promise<void> {
  const overrides = { ...(options.configFile ? readTuiOverrides(options.configFile) : {}), ...options.overrides };
  preloadTui();
  const { startTui } = await loading!;
  await startTui(engine, overrides);
}
