// The app shell: tab bar, the shown pane, dialogs, command log and status bar, sized to
// the terminal. Global keys (panes, help, quit) live here; each pane owns its own keys.
import React, { useEffect, useState } from 'react';
import { Box, useApp } from 'ink';
import { CommandLog } from './components/CommandLog.js';
import { StatusBar } from './components/StatusBar.js';
import { TabBar } from './components/TabBar.js';
import { LAYER } from './contexts/keypress.js';
import { useNavigation } from './contexts/navigation.js';
import { useOverlay, type Overlay } from './contexts/overlay.js';
import { useServices } from './contexts/services.js';
import { useShells } from './contexts/shells.js';
import { useStatus } from './contexts/status.js';
import { useKeymap } from './hooks/useKeymap.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { messageHistoryLines, statusLines } from './model/messages.js';
import { helpSections, PANE_LIST, paneAction, statusHints } from './keymap.js';
import { ConfirmOverlay } from './overlays/ConfirmOverlay.js';
import { FormOverlay } from './overlays/FormOverlay.js';
import { HelpHost } from './overlays/HelpHost.js';
import { JsonOverlay } from './overlays/JsonOverlay.js';
import { PromptOverlay } from './overlays/PromptOverlay.js';
import { PANE_COMPONENTS } from './panes/registry.js';
import { ShellDockHost } from './panes/ShellDockHost.js';

const COMMAND_LOG_LINES = 3;
const CONFIRM_LINES = 4;
const SHELL_DOCK_SHARE = 0.45; // of the body, under the pane, while a shell is open
const SHELL_DOCK_MIN_LINES = 5;

function coversPanes(overlay: Overlay | undefined): boolean {
  return overlay?.kind === 'help' || overlay?.kind === 'json' || overlay?.kind === 'text' || overlay?.kind === 'form';
}

export function App() {
  const { config, engine, terminal } = useServices();
  const { theme, keymap } = config;
  const nav = useNavigation();
  const { overlay, open, close } = useOverlay();
  const status = useStatus();
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [showCommandLog, setShowCommandLog] = useState(true);
  const shells = useShells();
  // The first frame draws the pane shown; the others mount right after it (and stay mounted,
  // following their data while hidden), so their first renders do not hold up that frame.
  const [allPanes, setAllPanes] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setAllPanes(true), 0);
    return () => clearTimeout(timer);
  }, []);

  useKeymap(['global'], {
    quit: () => exit(),
    suspend: () => void terminal?.suspend?.(),
    help: () => open({ kind: 'help' }),
    'next-pane': () => nav.cycle(1),
    'previous-pane': () => nav.cycle(-1),
    ...Object.fromEntries(PANE_LIST.map((p, i) => [paneAction(i), () => nav.show(p.id)])),
    'command-log': () => setShowCommandLog((v) => !v),
    'shell-focus': () => (shells.tabs.length > 0 ? shells.setFocused(true) : status.notify('no shell open: e on a running container opens one', 'info')),
    messages: () => open({ kind: 'text', title: 'Messages, newest first', lines: messageHistoryLines(status.messages, columns - 4) }),
  }, { active: true, layer: LAYER.global });

  // One row fewer than the terminal: a frame as tall as the screen makes Ink clear and redraw it whole.
  const height = Math.max(8, rows - 1);
  const logLines = showCommandLog ? COMMAND_LOG_LINES + 1 : 0;
  const confirmLines = overlay?.kind === 'confirm' ? CONFIRM_LINES : 0;
  // An error is wrapped whole on the status bar: the panes give up the lines it takes.
  const statusBarLines = overlay?.kind !== 'prompt' && status.message ? statusLines(status.message, columns).length : 1;
  const bodyHeight = Math.max(3, height - 1 - statusBarLines - logLines - confirmLines);
  const covered = coversPanes(overlay);
  const dockOpen = shells.tabs.length > 0;
  const dockHeight = !dockOpen ? 0 : shells.zoomed ? bodyHeight : Math.min(bodyHeight - 3, Math.max(SHELL_DOCK_MIN_LINES, Math.floor(bodyHeight * SHELL_DOCK_SHARE)));
  const paneHeight = bodyHeight - dockHeight;
  // A pane takes its keys only while the shell dock does not have them.
  const paneProps = (id: string) => ({ active: nav.pane === id, width: columns, height: Math.max(1, paneHeight) });

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <TabBar panes={PANE_LIST} active={nav.pane} width={columns} right={engine.options.root} home={process.env.HOME} accent={theme.accent} />
      <Box height={paneHeight} flexDirection="column" display={covered || paneHeight <= 0 ? 'none' : 'flex'}>
        {PANE_LIST.filter(({ id }) => allPanes || id === nav.pane).map(({ id }) => {
          const Pane = PANE_COMPONENTS[id];
          return <Pane key={id} {...paneProps(id)} />;
        })}
      </Box>
      {dockOpen ? (
        <Box height={dockHeight} display={covered ? 'none' : 'flex'}>
          <ShellDockHost width={columns} height={dockHeight} />
        </Box>
      ) : null}
      {covered ? (
        <Box height={bodyHeight} flexDirection="column" overflow="hidden">
          {overlay?.kind === 'help' && <HelpHost sections={helpSections(keymap, nav.pane)} width={columns} height={bodyHeight} close={close} accent={theme.accent} />}
          {overlay?.kind === 'json' && <JsonOverlay title={overlay.title} value={overlay.value} width={columns} height={bodyHeight} close={close} accent={theme.accent} />}
          {overlay?.kind === 'text' && <JsonOverlay title={overlay.title} lines={overlay.lines} width={columns} height={bodyHeight} close={close} accent={theme.accent} />}
          {overlay?.kind === 'form' && <FormOverlay title={overlay.title} fields={overlay.fields} onSubmit={overlay.onSubmit} close={close} accent={theme.accent} />}
        </Box>
      ) : null}
      {overlay?.kind === 'confirm' && <ConfirmOverlay message={overlay.message} onConfirm={overlay.onConfirm} close={close} theme={theme} />}
      {showCommandLog && <CommandLog entries={status.commands} height={COMMAND_LOG_LINES} theme={theme} />}
      {overlay?.kind === 'prompt' ? (
        <PromptOverlay label={overlay.label} initial={overlay.initial} onSubmit={overlay.onSubmit} onChange={overlay.onChange} onCancel={overlay.onCancel} close={close} color={theme.accent} />
      ) : (
        <StatusBar hints={statusHints(keymap, nav.pane)} message={status.message} width={columns} theme={theme} />
      )}
    </Box>
  );
}
