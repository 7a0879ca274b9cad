// The TUI's settings in one place: keymap, theme and intervals. Defaults here; the config
// file (see config-file.ts) and the command line override them.
import { DEFAULT_KEYMAP, type Binding, type Keymap, type KeymapSection } from './keymap.js';
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

/** Keys by section and action: `{ containers: { stop: ['x', 'S'] } }` rebinds stop. */
export type KeyOverrides = Partial<Record<KeymapSection, Record<string, string[]>>>;

/** 'mono' drops colour; an object replaces single colours of the colour theme. */
export type ThemeOverride = 'mono' | 'color' | Partial<Omit<Theme, 'color' | 'state'>> & { state?: Record<string, string> };

export interface TuiOverrides {
  refreshMs?: number;
  logBufferLines?: number;
  logTail?: number;
  keys?: KeyOverrides;
  theme?: ThemeOverride;
}

function applyKeys(base: Keymap, keys: KeyOverrides = {}): Keymap {
  const keymap = { ...base };
  for (const [section, actions] of Object.entries(keys) as Array<[KeymapSection, Record<string, string[]>]>) {
    if (!keymap[section]) continue;
    keymap[section] = keymap[section].map((b): Binding => (actions[b.action] ? { ...b, keys: actions[b.action] } : b));
  }
  return keymap;
}

function applyTheme(override: ThemeOverride | undefined, env: NodeJS.ProcessEnv): Theme {
  if (noColorRequested(env) || override === 'mono') return MONO_THEME;
  if (override === undefined || override === 'color') return COLOR_THEME;
  return { ...COLOR_THEME, ...override, color: true, state: { ...COLOR_THEME.state, ...override.state } };
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
    keymap: applyKeys(DEFAULT_KEYMAP, overrides.keys),
    theme: applyTheme(overrides.theme, env),
  };
}
