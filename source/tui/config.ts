// The TUI's settings in one place: keymap, theme and intervals. Defaults here; the config
// file (`conf`) will override them once the CLI reads it and passes the values in.
import { DEFAULT_KEYMAP, type Keymap } from './keymap.js';
import { COLOR_THEME, MONO_THEME, noColorRequested, type Theme } from './theme.js';

export interface TuiConfig {
  refreshMs: number; // stats and process-list sampling while a pane shows them
  logBufferLines: number; // the logs pane's ring buffer
  logTail: number; // lines read back when a log opens
  logFps: number; // the most redraws per second a fast log causes
  statsHistory: number; // samples kept per container for sparklines
  keymap: Keymap;
  theme: Theme;
}

export interface TuiOverrides {
  refreshMs?: number;
  logBufferLines?: number;
  logTail?: number;
  keymap?: Partial<Keymap>;
}

export function tuiConfig(overrides: TuiOverrides = {}, env: NodeJS.ProcessEnv = process.env): TuiConfig {
  const refreshMs = Math.max(250, overrides.refreshMs ?? 2000);
  return {
    refreshMs,
    logBufferLines: overrides.logBufferLines ?? 10_000,
    logTail: overrides.logTail ?? 1000,
    logFps: 30,
    // About five minutes of samples.
    statsHistory: Math.ceil(300_000 / refreshMs),
    keymap: { ...DEFAULT_KEYMAP, ...overrides.keymap },
    theme: noColorRequested(env) ? MONO_THEME : COLOR_THEME,
  };
}
