// The shells living in the shell dock, shared by the pane that opens them (Containers), the app
// that lays the dock out and the dock that draws them and takes keys while focused.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ShellSession } from '../terminal/shell-session.js';
import { useStatus } from './status.js';

// Output redraws the dock at most this often, however fast the shell writes.
const REDRAW_MS = 33;

export interface ShellTab {
  id: number;
  title: string;
  session: ShellSession;
}

export interface Shells {
  tabs: ShellTab[];
  active: number; // index into tabs
  focused: boolean; // keys go to the active shell
  zoomed: boolean; // the dock takes the whole body
  open(title: string, file: string, args: string[]): Promise<void>;
  closeActive(): void;
  select(delta: number): void;
  setFocused(focused: boolean): void;
  toggleZoom(): void;
  /** Draws the dock again (after a scroll, which writes nothing). */
  refresh(): void;
  /** The size the dock draws a shell at; every shell follows it. */
  resize(cols: number, rows: number): void;
}

const ShellsContext = createContext<Shells | undefined>(undefined);
// Bumped when a shell's screen changed: only the dock reads it, so output redraws the dock and
// not the whole app.
const ShellScreenContext = createContext(0);

export function ShellsProvider({ children }: { children: React.ReactNode }) {
  const { notify } = useStatus();
  const [tabs, setTabs] = useState<ShellTab[]>([]);
  const [active, setActive] = useState(0);
  const [focused, setFocused] = useState(false);
  const [zoomed, setZoomed] = useState(false);
  const [version, setVersion] = useState(0);
  const size = useRef({ cols: 80, rows: 10 });
  const nextId = useRef(1);
  const redraw = useRef<NodeJS.Timeout | undefined>(undefined);
  const tabsRef = useRef<ShellTab[]>([]); // the same list as `tabs`, for callbacks that outlive a render

  const scheduleRedraw = useCallback(() => {
    if (redraw.current) return;
    redraw.current = setTimeout(() => {
      redraw.current = undefined;
      setVersion((v) => v + 1);
    }, REDRAW_MS);
  }, []);

  const setList = useCallback((list: ShellTab[]) => {
    tabsRef.current = list;
    setTabs(list);
  }, []);

  const remove = useCallback((id: number) => {
    const tab = tabsRef.current.find((t) => t.id === id);
    if (!tab) return;
    tab.session.close();
    const rest = tabsRef.current.filter((t) => t !== tab);
    setList(rest);
    setActive((a) => Math.max(0, Math.min(a, rest.length - 1)));
    if (rest.length === 0) {
      setFocused(false);
      setZoomed(false);
    }
  }, [setList]);

  const open = useCallback(async (title: string, file: string, args: string[]) => {
    const id = nextId.current++;
    let session: ShellSession;
    try {
      // The emulator and node-pty load with the first shell, not with the TUI: ~300 ms of its
      // first frame on a loaded machine.
      const { ShellSession } = await import('../terminal/shell-session.js');
      session = new ShellSession({
        file,
        args,
        cols: size.current.cols,
        rows: size.current.rows,
        onOutput: scheduleRedraw,
        onExit: (code) => {
          notify(`shell in ${title} exited${code ? ` with ${code}` : ''}`, code ? 'error' : 'info');
          remove(id);
        },
      });
    } catch (error) {
      notify(`shell in ${title}: ${(error as Error).message}`, 'error');
      return;
    }
    const list = [...tabsRef.current, { id, title, session }];
    setList(list);
    setActive(list.length - 1);
    setFocused(true);
  }, [notify, remove, scheduleRedraw, setList]);

  const closeActive = useCallback(() => {
    const tab = tabsRef.current[active];
    if (tab) remove(tab.id);
  }, [active, remove]);

  const select = useCallback((delta: number) => {
    setActive((a) => {
      const n = tabsRef.current.length;
      return n === 0 ? 0 : (a + delta + n) % n;
    });
  }, []);

  const resize = useCallback((cols: number, rows: number) => {
    size.current = { cols, rows };
    for (const tab of tabsRef.current) tab.session.resize(cols, rows);
  }, []);

  const toggleZoom = useCallback(() => setZoomed((z) => !z), []);

  // Shells end with the TUI: a closed terminal hangs up on its programs.
  useEffect(() => () => {
    if (redraw.current) clearTimeout(redraw.current);
    for (const tab of tabsRef.current) tab.session.close();
  }, []);

  const value = useMemo<Shells>(() => ({
    tabs, active, focused: focused && tabs.length > 0, zoomed: zoomed && tabs.length > 0,
    open, closeActive, select, setFocused, toggleZoom, resize, refresh: scheduleRedraw,
  }), [tabs, active, focused, zoomed, open, closeActive, select, toggleZoom, resize, scheduleRedraw]);
  return (
    <ShellsContext.Provider value={value}>
      <ShellScreenContext.Provider value={version}>{children}</ShellScreenContext.Provider>
    </ShellsContext.Provider>
  );
}

/** Changes whenever a shell's screen did: read by what draws the screens. */
export function useShellScreenVersion(): number {
  return useContext(ShellScreenContext);
}

export function useShells(): Shells {
  const shells = useContext(ShellsContext);
  if (!shells) throw new Error('useShells outside ShellsProvider');
  return shells;
}
