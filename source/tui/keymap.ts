// Every key binding of the TUI, by pane. The help overlay lists a pane's bindings and the
// status bar shows the ones marked `status`. Names are as terminal/key-parser.ts
// produces them.
export type PaneId = 'containers' | 'images' | 'volumes' | 'networks' | 'logs' | 'stats' | 'layers' | 'build';
export type KeymapSection = 'global' | 'list' | 'shell' | PaneId;

export interface Binding {
  action: string;
  keys: string[];
  help: string;
  status?: boolean; // shown in the status bar
}

export type Keymap = Record<KeymapSection, Binding[]>;

// The panes in tab order; digit key N (action pane-N) shows the Nth. To add a pane: its id above,
// an entry here, its key section below, and its component in panes/registry.tsx.
export const PANE_LIST: ReadonlyArray<{ id: PaneId; title: string; help: string; list: boolean }> = [
  { id: 'containers', title: 'Containers', help: 'containers', list: true },
  { id: 'images', title: 'Images', help: 'images', list: true },
  { id: 'logs', title: 'Logs', help: 'logs', list: false },
  { id: 'stats', title: 'Stats', help: 'stats', list: true },
  { id: 'layers', title: 'Layers', help: 'layer explorer', list: false },
  { id: 'build', title: 'Build', help: 'build', list: true }, // scrolls its log with the list keys
  { id: 'volumes', title: 'Volumes', help: 'volumes', list: true },
  { id: 'networks', title: 'Networks', help: 'networks', list: true },
];

/** The global action that shows the pane at `index` of PANE_LIST. */
export function paneAction(index: number): string {
  return `pane-${index + 1}`;
}

const LIST_PANES: readonly PaneId[] = PANE_LIST.filter((p) => p.list).map((p) => p.id);

export const DEFAULT_KEYMAP: Keymap = {
  global: [
    { action: 'next-pane', keys: ['tab'], help: 'next pane' },
    { action: 'previous-pane', keys: ['shift-tab'], help: 'previous pane' },
    ...PANE_LIST.map((p, i): Binding => ({ action: paneAction(i), keys: [String(i + 1)], help: p.help })),
    { action: 'command-log', keys: ['@'], help: 'show/hide the command log' },
    { action: 'messages', keys: ['!'], help: 'messages: every error in full' },
    { action: 'help', keys: ['?'], help: 'help', status: true },
    { action: 'quit', keys: ['q', 'ctrl-c'], help: 'quit (Ctrl-C too; a shell pane gets its own)', status: true },
    { action: 'suspend', keys: ['ctrl-z'], help: 'suspend to the shell (fg comes back)' },
    { action: 'shell-focus', keys: ['ctrl-g'], help: 'type in the shell pane (when open)' },
  ],
  list: [
    { action: 'up', keys: ['up', 'k'], help: 'up' },
    { action: 'down', keys: ['down', 'j'], help: 'down' },
    { action: 'page-up', keys: ['pgup', 'ctrl-b'], help: 'page up' },
    // Space marks rows (k9s's habit), so it is not page down in lists.
    { action: 'page-down', keys: ['pgdn', 'ctrl-f'], help: 'page down' },
    { action: 'top', keys: ['g', 'home'], help: 'first row' },
    { action: 'bottom', keys: ['G', 'end'], help: 'last row' },
  ],
  containers: [
    { action: 'logs', keys: ['enter', 'l'], help: 'logs', status: true },
    { action: 'mark', keys: ['space', 'm'], help: 'mark (s x r p K d act on all marked)' },
    { action: 'clear-marks', keys: ['M'], help: 'unmark all' },
    { action: 'start', keys: ['s'], help: 'start', status: true },
    { action: 'stop', keys: ['x'], help: 'stop', status: true },
    { action: 'restart', keys: ['r'], help: 'restart' },
    { action: 'pause', keys: ['p'], help: 'pause/unpause', status: true },
    { action: 'kill', keys: ['K'], help: 'kill' },
    { action: 'remove', keys: ['d'], help: 'remove', status: true },
    { action: 'rename', keys: ['n'], help: 'rename' },
    { action: 'shell', keys: ['e'], help: 'shell in a pane', status: true },
    { action: 'shell-full', keys: ['T'], help: 'shell with the whole terminal' },
    { action: 'exec', keys: ['E'], help: 'exec a typed command, show its output' },
    { action: 'commit', keys: ['c'], help: 'commit to an image (repo:tag)' },
    { action: 'explore', keys: ['L'], help: 'open in the layer explorer' },
    { action: 'copy-id', keys: ['y'], help: 'copy the id (OSC 52)' },
    { action: 'inspect', keys: ['i'], help: 'inspect' },
    { action: 'stats', keys: ['t'], help: 'stats' },
    { action: 'filter', keys: ['/'], help: 'filter', status: true },
    { action: 'clear-filter', keys: ['esc'], help: 'clear filter' },
    { action: 'sort', keys: ['o'], help: 'sort by next column' },
    { action: 'reverse', keys: ['O'], help: 'reverse sort' },
    // Compose projects are header rows: on one, s x r d act on the whole project and space marks its containers.
    { action: 'fold', keys: ['z'], help: 'fold/unfold the compose project' },
    { action: 'fold-all', keys: ['Z'], help: 'fold/unfold every compose project' },
  ],
  images: [
    { action: 'run', keys: ['R', 'enter'], help: 'run', status: true },
    { action: 'tag', keys: ['t'], help: 'tag', status: true },
    { action: 'remove', keys: ['d'], help: 'remove', status: true },
    { action: 'prune', keys: ['P'], help: 'prune dangling images' },
    { action: 'pull', keys: ['p'], help: 'pull by name', status: true },
    { action: 'push', keys: ['u'], help: 'push to its registry (upload)' },
    { action: 'inspect', keys: ['i'], help: 'inspect', status: true },
    { action: 'history', keys: ['H'], help: 'history' },
    { action: 'layers', keys: ['L'], help: 'open in the layer explorer' },
    { action: 'filter', keys: ['/'], help: 'filter', status: true },
    { action: 'clear-filter', keys: ['esc'], help: 'clear filter' },
  ],
  volumes: [
    { action: 'inspect', keys: ['i', 'enter'], help: 'inspect', status: true },
    { action: 'create', keys: ['c'], help: 'create', status: true },
    { action: 'remove', keys: ['d'], help: 'remove', status: true },
    { action: 'prune', keys: ['P'], help: 'prune: remove the volumes no container uses' },
    { action: 'filter', keys: ['/'], help: 'filter', status: true },
    { action: 'clear-filter', keys: ['esc'], help: 'clear filter' },
  ],
  networks: [
    { action: 'inspect', keys: ['i', 'enter'], help: 'inspect', status: true },
    { action: 'create', keys: ['c'], help: 'create (name, subnet)', status: true },
    { action: 'remove', keys: ['d'], help: 'remove', status: true },
    { action: 'prune', keys: ['P'], help: 'prune: remove the networks no container uses' },
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
    // less -S: ←/→ scroll a half screen sideways; h, like Layers' "fold, or go to the parent", goes back once at the first column.
    { action: 'scroll-left', keys: ['left', 'h'], help: 'scroll left; at column 1, back' },
    { action: 'scroll-right', keys: ['right', 'l'], help: 'scroll right (wrap off)' },
    { action: 'follow', keys: ['f'], help: 'follow on/off', status: true },
    { action: 'timestamps', keys: ['t'], help: 'timestamps on/off', status: true },
    { action: 'wrap', keys: ['w'], help: 'wrap on/off', status: true },
    { action: 'colors', keys: ['c'], help: 'ANSI colours on/off' },
    { action: 'search', keys: ['/'], help: 'search', status: true },
    { action: 'next-match', keys: ['n'], help: 'next match (/ and & take a regex)' },
    { action: 'previous-match', keys: ['N'], help: 'previous match' },
    { action: 'filter', keys: ['&'], help: 'show only matching lines', status: true },
    { action: 'range', keys: ['r'], help: 'read back: last N, since 5m/1h, all' },
    { action: 'range-typed', keys: ['R'], help: 'read back: type 500, 10m, a date, all' },
    { action: 'save', keys: ['s'], help: 'save the lines in view to a file' },
    { action: 'copy', keys: ['y'], help: 'copy the current line (OSC 52)' },
    { action: 'back', keys: ['esc'], help: 'clear search/filter, or back' },
  ],
  stats: [
    { action: 'logs', keys: ['enter', 'l'], help: 'logs', status: true },
    { action: 'sort', keys: ['o'], help: 'sort by CPU, memory, NET I/O, name', status: true },
    { action: 'back', keys: ['esc', 'h'], help: 'back to containers' },
  ],
  layers: [
    { action: 'up', keys: ['up', 'k'], help: 'up' },
    { action: 'down', keys: ['down', 'j'], help: 'down' },
    { action: 'page-up', keys: ['pgup', 'ctrl-b'], help: 'page up' },
    { action: 'page-down', keys: ['pgdn', 'ctrl-f'], help: 'page down' },
    { action: 'top', keys: ['g', 'home'], help: 'first row' },
    { action: 'bottom', keys: ['G', 'end'], help: 'last row' },
    { action: 'collapse', keys: ['left', 'h'], help: 'fold, or go to the parent directory' },
    { action: 'expand', keys: ['right', 'l'], help: 'unfold' },
    { action: 'fold', keys: ['space'], help: 'fold/unfold the directory' },
    { action: 'fold-all', keys: ['z'], help: 'fold/unfold all' },
    // Tab is next pane everywhere; f moves the focus between the explorer's two lists.
    { action: 'focus', keys: ['f'], help: 'layers ⇄ file tree', status: true },
    { action: 'view', keys: ['v'], help: 'this layer only ⇄ merged up to it', status: true },
    { action: 'toggle-added', keys: ['a'], help: 'show/hide added (A)' },
    { action: 'toggle-modified', keys: ['m'], help: 'show/hide modified (M)' },
    { action: 'toggle-removed', keys: ['r'], help: 'show/hide removed (D)' },
    { action: 'toggle-unchanged', keys: ['u'], help: 'show/hide unchanged' },
    { action: 'tree-filter', keys: ['/'], help: 'show only paths matching (regex; Esc clears)' },
    { action: 'sort', keys: ['o'], help: 'sort by name ⇄ size, biggest first' },
    { action: 'preview', keys: ['enter'], help: 'open; preview the file at this layer', status: true },
    { action: 'save', keys: ['s'], help: 'save the file to the host', status: true },
    { action: 'waste', keys: ['w'], help: 'wasted space: biggest files', status: true },
    { action: 'compare', keys: ['c'], help: 'mark an image to compare with the next one opened' },
    { action: 'back', keys: ['esc'], help: 'close the preview; back to the picker', status: true },
  ],
  build: [
    { action: 'build', keys: ['b'], help: 'build an image (context, Dockerfile, tag)', status: true },
  ],
  // While a shell in the dock has the keys, every other key goes to the shell (Ctrl-C too).
  shell: [
    { action: 'leave', keys: ['ctrl-g'], help: 'keys back to the lists' },
    { action: 'zoom', keys: ['alt-z'], help: 'shell over the whole pane area, or back' },
    { action: 'next-shell', keys: ['alt-n'], help: 'next shell tab' },
    { action: 'previous-shell', keys: ['alt-p'], help: 'previous shell tab' },
    { action: 'scroll-up', keys: ['shift-pgup'], help: 'scroll back' },
    { action: 'scroll-down', keys: ['shift-pgdn'], help: 'scroll forward' },
  ],
};

/** Keys that keep their global action whatever the config says: Ctrl-C quits, Ctrl-Z suspends. */
export const FIXED_KEYS: Readonly<Record<string, string>> = { quit: 'ctrl-c', suspend: 'ctrl-z' };

/** The sections whose keys are live together on a pane: its own, list movement where it has a list, global. */
function liveSections(pane: PaneId): KeymapSection[] {
  return [pane, ...(LIST_PANES.includes(pane) ? (['list'] as const) : []), 'global'];
}

/** Keys bound to two actions on one pane (`section.action` each), first found first. */
export function keymapConflicts(keymap: Keymap): Array<{ key: string; actions: [string, string] }> {
  const conflicts: Array<{ key: string; actions: [string, string] }> = [];
  const seen = new Set<string>();
  // A focused shell takes every key but its own section's: those must not clash among themselves.
  const groups: KeymapSection[][] = [...PANE_LIST.map(({ id }) => liveSections(id)), ['shell']];
  for (const sections of groups) {
    const owners = new Map<string, string>();
    for (const section of sections) {
      for (const binding of keymap[section]) {
        const owner = `${section}.${binding.action}`;
        for (const key of new Set(binding.keys)) {
          const first = owners.get(key);
          if (first === undefined) owners.set(key, owner);
          else if (!seen.has(`${key} ${first} ${owner}`)) {
            seen.add(`${key} ${first} ${owner}`);
            conflicts.push({ key, actions: [first, owner] });
          }
        }
      }
    }
  }
  return conflicts;
}

export function bindingFor(bindings: readonly Binding[], name: string): Binding | undefined {
  return bindings.find((b) => b.keys.includes(name));
}

const KEY_LABELS: Record<string, string> = { up: '↑', down: '↓', pgup: 'PgUp', pgdn: 'PgDn', enter: '⏎', esc: 'Esc', space: 'Space', tab: 'Tab', 'shift-tab': 'S-Tab' };

export function keyLabel(name: string): string {
  return KEY_LABELS[name] ?? name;
}

const PANE_TITLES = Object.fromEntries(PANE_LIST.map((p) => [p.id, p.title])) as Record<PaneId, string>;

/** The help overlay's sections for a pane: its own keys, list movement where it has a list, then global keys. */
export function helpSections(keymap: Keymap, pane: PaneId): Array<{ title: string; bindings: Binding[] }> {
  return [
    { title: PANE_TITLES[pane], bindings: keymap[pane] },
    ...(liveSections(pane).includes('list') ? [{ title: 'Moving', bindings: keymap.list }] : []),
    { title: 'Everywhere', bindings: keymap.global },
    { title: 'In a shell pane (Ctrl-G)', bindings: keymap.shell },
  ];
}

/** The keys the status bar shows for a pane: the ones marked `status`, first key of each. */
export function statusHints(keymap: Keymap, pane: PaneId): Array<{ keys: string; help: string }> {
  return [...keymap[pane], ...keymap.global].filter((b) => b.status).map((b) => ({ keys: keyLabel(b.keys[0]), help: b.help }));
}
