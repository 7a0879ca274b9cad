// The TUI's part of the config file (the `tui` key of ~/.config/strata-nodejs/config.json,
// the file `conf` keeps for the CLI): refresh interval, keys, theme. Read as plain JSON so
// opening the TUI does not pay for loading conf; a bad file is one clear error.
import fs from 'node:fs';
import { applyKeys, type TuiOverrides } from './config.js';
import { DEFAULT_KEYMAP } from './keymap.js';

const SECTIONS = new Set(Object.keys(DEFAULT_KEYMAP));

export function readTuiOverrides(file: string): TuiOverrides {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  const tui = (parsed as { tui?: unknown })?.tui;
  if (tui === undefined) return {};
  const bad = (what: string) => new Error(`config file ${file}: ${what}`);
  if (typeof tui !== 'object' || tui === null) throw bad('"tui" must be an object');
  const { refreshMs, keys, theme, logBufferLines, logTail } = tui as Record<string, unknown>;
  const out: TuiOverrides = {};
  if (refreshMs !== undefined) {
    if (typeof refreshMs !== 'number' || !(refreshMs > 0)) throw bad('"tui.refreshMs" must be a positive number of milliseconds');
    out.refreshMs = refreshMs;
  }
  for (const [name, value] of [['logBufferLines', logBufferLines], ['logTail', logTail]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw bad(`"tui.${name}" must be a positive integer`);
    out[name] = value;
  }
  if (theme !== undefined) {
    if (theme !== 'mono' && theme !== 'color' && (typeof theme !== 'object' || theme === null)) throw bad('"tui.theme" must be "mono", "color" or an object of colours');
    out.theme = theme as TuiOverrides['theme'];
  }
  if (keys !== undefined) {
    if (typeof keys !== 'object' || keys === null) throw bad('"tui.keys" must be an object like {"containers": {"stop": ["x"]}}');
    for (const [section, actions] of Object.entries(keys)) {
      if (!SECTIONS.has(section)) throw bad(`"tui.keys.${section}": no such key section (${[...SECTIONS].join(', ')})`);
      for (const [action, list] of Object.entries(actions as object)) {
        if (!Array.isArray(list) || !list.every((k) => typeof k === 'string' && k.length > 0)) throw bad(`"tui.keys.${section}.${action}" must be a list of key names`);
      }
    }
    out.keys = keys as TuiOverrides['keys'];
    try {
      applyKeys(DEFAULT_KEYMAP, out.keys);
    } catch (error) {
      throw bad((error as Error).message);
    }
  }
  return out;
}
