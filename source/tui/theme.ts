// Colours in one place. Under NO_COLOR every colour is dropped: selection and search matches
// use inverse video and states are words, so nothing depends on colour.
export interface Theme {
  color: boolean;
  accent?: string;
  muted?: string;
  error?: string;
  warning?: string;
  ok?: string;
  stderr?: string;
  match?: string;
  state: Record<string, string | undefined>;
  sources?: string[]; // one per container in a merged log view, in turn
}

export const COLOR_THEME: Theme = {
  color: true,
  accent: 'cyan',
  muted: 'gray',
  error: 'red',
  warning: 'yellow',
  ok: 'green',
  stderr: 'red',
  match: 'yellow',
  state: { running: 'green', paused: 'yellow', restarting: 'yellow', created: 'blue', exited: 'gray', dead: 'red', 'monitor-gone': 'magenta' },
  sources: ['cyan', 'magenta', 'yellow', 'green', 'blue', 'redBright'],
};

export const MONO_THEME: Theme = { color: false, state: {} };

export function noColorRequested(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
