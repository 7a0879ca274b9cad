// Every key binding of the TUI, by pane. The help overlay lists a pane's bindings and the
// status bar shows the ones marked `status`. Names are as `keyName` produces them.
export type PaneId = 'containers' | 'images' | 'logs' | 'stats';
export type KeymapSection = 'global' | 'list' | PaneId;

export interface Binding {
  action: string;
  keys: string[];
  help: string;
  status?: boolean; // shown in the status bar
}

export type Keymap = Record<KeymapSection, Binding[]>;

export const DEFAULT_KEYMAP: Keymap = {
  global: [
    { action: 'next-pane', keys: ['tab'], help: 'next pane' },
    { action: 'previous-pane', keys: ['shift-tab'], help: 'previous pane' },
    { action: 'pane-1', keys: ['1'], help: 'containers' },
    { action: 'pane-2', keys: ['2'], help: 'images' },
    { action: 'pane-3', keys: ['3'], help: 'logs' },
    { action: 'pane-4', keys: ['4'], help: 'stats' },
    { action: 'command-log', keys: ['@'], help: 'show/hide the command log' },
    { action: 'help', keys: ['?'], help: 'help', status: true },
    { action: 'quit', keys: ['q', 'ctrl-c'], help: 'quit', status: true },
  ],
  list: [
    { action: 'up', keys: ['up', 'k'], help: 'up' },
    { action: 'down', keys: ['down', 'j'], help: 'down' },
    { action: 'page-up', keys: ['pgup', 'ctrl-b'], help: 'page up' },
    { action: 'page-down', keys: ['pgdn', 'ctrl-f', 'space'], help: 'page down' },
    { action: 'top', keys: ['g', 'home'], help: 'first row' },
    { action: 'bottom', keys: ['G', 'end'], help: 'last row' },
  ],
  containers: [
    { action: 'logs', keys: ['enter', 'l'], help: 'logs', status: true },
    { action: 'start', keys: ['s'], help: 'start', status: true },
    { action: 'stop', keys: ['x'], help: 'stop', status: true },
    { action: 'restart', keys: ['r'], help: 'restart' },
    { action: 'pause', keys: ['p'], help: 'pause/unpause', status: true },
    { action: 'kill', keys: ['K'], help: 'kill' },
    { action: 'remove', keys: ['d'], help: 'remove', status: true },
    { action: 'rename', keys: ['n'], help: 'rename' },
    { action: 'shell', keys: ['e'], help: 'shell', status: true },
    { action: 'inspect', keys: ['i'], help: 'inspect' },
    { action: 'stats', keys: ['t'], help: 'stats' },
    { action: 'filter', keys: ['/'], help: 'filter', status: true },
    { action: 'clear-filter', keys: ['esc'], help: 'clear filter' },
    { action: 'sort', keys: ['o'], help: 'sort by next column' },
    { action: 'reverse', keys: ['O'], help: 'reverse sort' },
  ],
  images: [
    { action: 'run', keys: ['R', 'enter'], help: 'run', status: true },
    { action: 'remove', keys: ['d'], help: 'remove', status: true },
    { action: 'inspect', keys: ['i'], help: 'inspect', status: true },
    { action: 'filter', keys: ['/'], help: 'filter', status: true },
    { action: 'clear-filter', keys: ['esc'], help: 'clear filter' },
  ],
  logs: [
    { action: 'up', keys: ['up', 'k'], help: 'scroll up' },
    { action: 'down', keys: ['down', 'j'], help: 'scroll down' },
    { action: 'page-up', keys: ['pgup', 'ctrl-b'], help: 'page up' },
    { action: 'page-down', keys: ['pgdn', 'ctrl-f', 'space'], help: 'page down' },
    { action: 'top', keys: ['g', 'home'], help: 'top' },
    { action: 'bottom', keys: ['G', 'end'], help: 'bottom (and follow)' },
    { action: 'follow', keys: ['f'], help: 'follow on/off', status: true },
    { action: 'timestamps', keys: ['t'], help: 'timestamps on/off', status: true },
    { action: 'wrap', keys: ['w'], help: 'wrap on/off', status: true },
    { action: 'search', keys: ['/'], help: 'search', status: true },
    { action: 'next-match', keys: ['n'], help: 'next match' },
    { action: 'previous-match', keys: ['N'], help: 'previous match' },
    { action: 'filter', keys: ['&'], help: 'show only matching lines', status: true },
    { action: 'back', keys: ['esc', 'h'], help: 'clear search/filter, then back to containers' },
  ],
  stats: [
    { action: 'logs', keys: ['enter', 'l'], help: 'logs', status: true },
    { action: 'back', keys: ['esc', 'h'], help: 'back to containers' },
  ],
};

export function bindingFor(bindings: readonly Binding[], name: string): Binding | undefined {
  return bindings.find((b) => b.keys.includes(name));
}

const KEY_LABELS: Record<string, string> = { up: '↑', down: '↓', pgup: 'PgUp', pgdn: 'PgDn', enter: '⏎', esc: 'Esc', space: 'Space', tab: 'Tab', 'shift-tab': 'S-Tab' };

export function keyLabel(name: string): string {
  return KEY_LABELS[name] ?? name;
}

const PANE_TITLES: Record<PaneId, string> = { containers: 'Containers', images: 'Images', logs: 'Logs', stats: 'Stats' };
const LIST_PANES: readonly PaneId[] = ['containers', 'images', 'stats'];

/** The help overlay's sections for a pane: its own keys, list movement where it has a list, then global keys. */
export function helpSections(keymap: Keymap, pane: PaneId): Array<{ title: string; bindings: Binding[] }> {
  return [
    { title: PANE_TITLES[pane], bindings: keymap[pane] },
    ...(LIST_PANES.includes(pane) ? [{ title: 'Moving', bindings: keymap.list }] : []),
    { title: 'Everywhere', bindings: keymap.global },
  ];
}

/** The keys the status bar shows for a pane: the ones marked `status`, first key of each. */
export function statusHints(keymap: Keymap, pane: PaneId): Array<{ keys: string; help: string }> {
  return [...keymap[pane], ...keymap.global].filter((b) => b.status).map((b) => ({ keys: keyLabel(b.keys[0]), help: b.help }));
}
