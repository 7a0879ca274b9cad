// The status line's message (what just happened, or the engine's error) and the command log
// of the `strata …` equivalents of actions taken. Errors never escape as exceptions.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { messageLifetimeMs, type CommandLogEntry, type MessageKind, type StatusMessage } from '../model/messages.js';

export type { CommandLogEntry, MessageKind, StatusMessage } from '../model/messages.js';

export interface Status {
  message?: StatusMessage; // on the status bar until its reading time is over
  messages: readonly StatusMessage[]; // every one, for the history overlay
  commands: readonly CommandLogEntry[];
  notify(text: string, kind?: MessageKind, detail?: string): void;
  /** Runs an engine action: logs its CLI equivalent, reports progress, success or the error. */
  act<T>(command: string, run: () => Promise<T>, okText?: string | ((result: T) => string)): Promise<boolean>;
}

const COMMANDS_KEPT = 50;
const MESSAGES_KEPT = 200;

const StatusContext = createContext<Status | undefined>(undefined);

export function errorText(error: unknown): string {
  return fullErrorText(error).split('\n')[0] || 'unknown error';
}

export function fullErrorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim() || 'unknown error';
}

export function StatusProvider({ children }: { children: React.ReactNode }) {
  const [message, setMessage] = useState<StatusMessage>();
  const [messages, setMessages] = useState<StatusMessage[]>([]);
  const [commands, setCommands] = useState<CommandLogEntry[]>([]);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);

  const notify = useCallback((text: string, kind: MessageKind = 'info', detail?: string) => {
    clearTimeout(timer.current);
    const next: StatusMessage = { text, kind, at: Date.now(), ...(detail && detail !== text ? { detail } : {}) };
    setMessage(next);
    // "… running" notes are not history: their outcome is
    if (!text.endsWith(' …')) setMessages((list) => [...list, next].slice(-MESSAGES_KEPT));
    // Errors stay longer, but none stays for ever: the history (!) keeps them all.
    timer.current = setTimeout(() => setMessage(undefined), messageLifetimeMs(next));
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  const act = useCallback(async <T,>(command: string, run: () => Promise<T>, okText?: string | ((result: T) => string)) => {
    const entry: CommandLogEntry = { at: Date.now(), command, outcome: 'running' };
    setCommands((list) => [...list, entry].slice(-COMMANDS_KEPT));
    const settle = (outcome: CommandLogEntry['outcome'], error?: string) => setCommands((list) => list.map((e) => (e === entry ? { ...e, outcome, ...(error ? { error } : {}) } : e)));
    notify(`${command} …`);
    try {
      const result = await run();
      settle('ok');
      notify((typeof okText === 'function' ? okText(result) : okText) ?? `${command}: done`, 'ok');
      return true;
    } catch (error) {
      settle('error', errorText(error));
      // The message first: a long command line must not push it off the status bar.
      notify(`${errorText(error)}  (${command})`, 'error', `${fullErrorText(error)}  (${command})`);
      return false;
    }
  }, [notify]);

  const value = useMemo<Status>(() => ({ message, messages, commands, notify, act }), [message, messages, commands, notify, act]);
  return <StatusContext.Provider value={value}>{children}</StatusContext.Provider>;
}

export function useStatus(): Status {
  const status = useContext(StatusContext);
  if (!status) throw new Error('useStatus outside StatusProvider');
  return status;
}
