// The TUI's settings in one place: keymap, theme and intervals. Defaults here; the config
// file (see config-file.ts) and the command line override them.
import { DEFAULT_KEYMAP, FIXED_KEYS, keymapConflicts, type Binding, type Keymap, type KeymapSection } from './keymap.js';
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

/**
 * The keymap with the user's keys. An unknown section or action, or a key that two actions
 * would share where both are live, is an error naming them, so no binding is silently lost.
 * Ctrl-C always quits and Ctrl-Z always suspends, whatever else quit or suspend is bound to.
 */
export function applyKeys(base: Keymap, keys: KeyOverrides = {}): Keymap {
  const keymap = { ...base };
  for (const [section, actions] of Object.entries(keys) as Array<[KeymapSection, Record<string, string[]>]>) {
    if (!keymap[section]) throw new Error(`"tui.keys.${section}": no such key section (${Object.keys(base).join(', ')})`);
    for (const action of Object.keys(actions)) {
      if (!keymap[section].some((b) => b.action === action)) {
        throw new Error(`"tui.keys.${section}.${action}": no such action in ${section} (${keymap[section].map((b) => b.action).join(', ')})`);
      }
    }
    keymap[section] = keymap[section].map((b): Binding => (actions[b.action] ? { ...b, keys: withFixedKeys(b.action, actions[b.action]) } : b));
  }
  const conflict = keymapConflicts(keymap)[0];
  if (conflict) throw new Error(`key "${conflict.key}" is bound to both ${conflict.actions[0]} and ${conflict.actions[1]}`);
  return keymap;
}

function withFixedKeys(action: string, keys: string[]): string[] {
  const fixed = FIXED_KEYS[action];
  return fixed && !keys.includes(fixed) ? [...keys, fixed] : keys;
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
