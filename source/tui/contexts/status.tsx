// The status line's message (what just happened, or the engine's error) and the command log
// of the `strata …` equivalents of actions taken. Errors never escape as exceptions.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

export type MessageKind = 'info' | 'ok' | 'error';

export interface StatusMessage {
  text: string;
  kind: MessageKind;
}

export interface CommandLogEntry {
  at: number;
  command: string;
  outcome: 'running' | 'ok' | 'error';
}

export interface Status {
  message?: StatusMessage;
  commands: readonly CommandLogEntry[];
  notify(text: string, kind?: MessageKind): void;
  /** Runs an engine action: logs its CLI equivalent, reports progress, success or the error. */
  act<T>(command: string, run: () => Promise<T>, okText?: string | ((result: T) => string)): Promise<boolean>;
}

const MESSAGE_MS = 6000;
const COMMANDS_KEPT = 50;

const StatusContext = createContext<Status | undefined>(undefined);

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] || 'unknown error';
}

export function StatusProvider({ children }: { children: React.ReactNode }) {
  const [message, setMessage] = useState<StatusMessage>();
  const [commands, setCommands] = useState<CommandLogEntry[]>([]);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);

  const notify = useCallback((text: string, kind: MessageKind = 'info') => {
    clearTimeout(timer.current);
    setMessage({ text, kind });
    // Errors stay until something replaces them: the user must get to read them.
    if (kind !== 'error') timer.current = setTimeout(() => setMessage(undefined), MESSAGE_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  const act = useCallback(async <T,>(command: string, run: () => Promise<T>, okText?: string | ((result: T) => string)) => {
    const entry: CommandLogEntry = { at: Date.now(), command, outcome: 'running' };
    setCommands((list) => [...list, entry].slice(-COMMANDS_KEPT));
    const settle = (outcome: CommandLogEntry['outcome']) => setCommands((list) => list.map((e) => (e === entry ? { ...e, outcome } : e)));
    notify(`${command} …`);
    try {
      const result = await run();
      settle('ok');
      notify((typeof okText === 'function' ? okText(result) : okText) ?? `${command}: done`, 'ok');
      return true;
    } catch (error) {
      settle('error');
      // The message first: a long command line must not push it off the status bar.
      notify(`${errorText(error)}  (${command})`, 'error');
      return false;
    }
  }, [notify]);

  const value = useMemo<Status>(() => ({ message, commands, notify, act }), [message, commands, notify, act]);
  return <StatusContext.Provider value={value}>{children}</StatusContext.Provider>;
}

export function useStatus(): Status {
  const status = useContext(StatusContext);
  if (!status) throw new Error('useStatus outside StatusProvider');
  return status;
}
