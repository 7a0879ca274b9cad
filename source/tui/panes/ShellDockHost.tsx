// The shell dock under the shown pane: draws the active shell and, while it has the keys, types
// every key into it except the shell section's own (Ctrl-G gives the keys back to the lists).
import React, { useEffect } from 'react';
import { ShellDock } from '../components/ShellDock.js';
import { LAYER, useKeypress } from '../contexts/keypress.js';
import { useServices } from '../contexts/services.js';
import { useShells, useShellScreenVersion } from '../contexts/shells.js';
import { bindingFor, keyLabel } from '../keymap.js';
import { scrolledBack, visibleRows } from '../model/terminal-rows.js';

export function ShellDockHost({ width, height }: { width: number; height: number }) {
  const { config } = useServices();
  const shells = useShells();
  useShellScreenVersion(); // a shell's output draws this again, and nothing else
  const { tabs, active, focused, zoomed, resize, setFocused, toggleZoom, select, refresh } = shells;
  const tab = tabs[active];
  const screenRows = Math.max(1, height - 1);

  useEffect(() => resize(width, screenRows), [resize, width, screenRows]);

  useKeypress((press) => {
    if (!tab) return false;
    const action = bindingFor(config.keymap.shell, press.name)?.action;
    const page = Math.max(1, screenRows - 1);
    if (action === 'leave') setFocused(false);
    else if (action === 'zoom') toggleZoom();
    else if (action === 'next-shell') select(1);
    else if (action === 'previous-shell') select(-1);
    else if (action === 'scroll-up' || action === 'scroll-down') {
      tab.session.scroll(action === 'scroll-up' ? -page : page);
      refresh();
    }
    else tab.session.type(press);
    return true;
  }, { layer: LAYER.shell, active: focused });

  // Read from the emulator at every render: a shell's output renders through `version`.
  const rows = tab ? visibleRows(tab.session.term, focused) : [];
  const back = tab ? scrolledBack(tab.session.term) : 0;
  const leave = config.keymap.shell.find((b) => b.action === 'leave')?.keys[0] ?? 'ctrl-g';
  if (!tab) return null;
  return (
    <ShellDock
      titles={tabs.map((t) => t.title)}
      active={active}
      focused={focused}
      zoomed={zoomed}
      scrolledBack={back}
      rows={rows}
      width={width}
      height={height}
      accent={config.theme.accent}
      leaveKey={keyLabel(leave)}
      mono={!config.theme.color}
    />
  );
}
