// The TUI's entry point, loaded only by dynamic import so CLI verbs never pay for Ink/React.
import type { EngineApi } from '../engine/api.js';

export interface TuiOptions {
  refreshMs?: number;
}

export async function runTui(engine: EngineApi, options: TuiOptions = {}): Promise<void> {
  // Ink stops drawing frames when it thinks it runs in CI (it reads CI once, on load); a
  // TUI the user opened in a terminal must draw regardless.
  const ci = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  let start: typeof import('./start.js').startTui;
  try {
    ({ startTui: start } = await import('./start.js'));
  } finally {
    for (const [key, value] of Object.entries(ci)) if (value !== undefined) process.env[key] = value;
  }
  await start(engine, { refreshMs: options.refreshMs });
}
