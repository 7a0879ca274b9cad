// Rendering the real app (or one component) on a real engine, and typing into it.
import React from 'react';
import { render } from 'ink-testing-library';
import type { EngineApi } from '../../source/engine/api.js';
import { Root } from '../../source/tui/Root.js';
import { tuiConfig } from '../../source/tui/config.js';
import type { PaneId } from '../../source/tui/keymap.js';
import type { TerminalHandover } from '../../source/tui/contexts/services.js';

export const KEYS = { down: '\x1b[B', up: '\x1b[A', enter: '\r', esc: '\x1b', tab: '\t', shiftTab: '\x1b[Z', backspace: '\x7f', pageDown: '\x1b[6~' };

export const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

// eslint-disable-next-line no-control-regex
export const plain = (frame: string | undefined) => (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');

export function renderApp(engine: EngineApi, options: { initialPane?: PaneId; refreshMs?: number; terminal?: TerminalHandover; env?: NodeJS.ProcessEnv } = {}) {
  const config = tuiConfig({ refreshMs: options.refreshMs ?? 250 }, options.env ?? {});
  const app = render(<Root services={{ engine, config, terminal: options.terminal }} initialPane={options.initialPane} />);
  return {
    ...app,
    screen: () => plain(app.lastFrame()),
    raw: () => app.lastFrame() ?? '',
    async type(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        await tick();
      }
    },
    async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 5000): Promise<string> {
      const check = typeof test === 'string' ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = plain(app.lastFrame());
        if (check(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(test)}; screen:\n${s}`);
        await tick(20);
      }
    },
    /** Waits until the selected (inverse) row matches. */
    async waitForSelected(pattern: RegExp, timeoutMs = 5000): Promise<string> {
      await this.waitFor(() => pattern.test(selectedRow(app.lastFrame() ?? '') ?? ''), timeoutMs);
      return selectedRow(app.lastFrame() ?? '')!;
    },
  };
}

/** The text of the row drawn in inverse video (the selection), without escapes. */
export function selectedRow(raw: string): string | undefined {
  // The first line is the tab bar, whose current tab is also in inverse.
  const line = raw.split('\n').slice(1).find((l) => l.includes('\x1b[7m'));
  return line === undefined ? undefined : plain(line).trim();
}
