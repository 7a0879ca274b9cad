// `strata` with no verb, in a real pty, on a test store: the built CLI opening the TUI.
import path from 'node:path';
import { PtyScreen, type PtyScreenOptions } from './pty-screen.js';

export const repo = path.resolve(import.meta.dirname, '../..');

export function openStrataTui(root: string, runtimeDir: string, options: PtyScreenOptions = {}): PtyScreen {
  const args = [path.join(repo, 'dist/strata.js'), '--root', root, '--runtime-dir', runtimeDir];
  // A config home of its own: the user's keys and theme must not change what the test sees.
  const env = { XDG_CONFIG_HOME: path.join(root, '..', 'config'), ...options.env };
  return new PtyScreen(process.execPath, args, { cols: 110, rows: 30, cwd: repo, ...options, env });
}
