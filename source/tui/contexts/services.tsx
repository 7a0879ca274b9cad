// The services every part of the TUI reaches: the engine, the settings, and the terminal
// (to hand it over to a shell). Provided once at the root, read with useServices().
import React, { createContext, useContext } from 'react';
import type { EngineApi } from '../../engine/api.js';
import type { TuiConfig } from '../config.js';

export interface TerminalHandover {
  /** Gives the whole terminal to `run` (Ink paused, main screen) and takes it back after. */
  handOver<T>(run: () => Promise<T>): Promise<T>;
  /** Ctrl-Z: the terminal back to the shell, the process stopped until `fg`, then redrawn. */
  suspend?(): Promise<void>;
}

export interface Services {
  engine: EngineApi;
  config: TuiConfig;
  terminal?: TerminalHandover;
  /** Puts text on the user's clipboard through the terminal (OSC 52). */
  clipboard?: (text: string) => void;
}

const ServicesContext = createContext<Services | undefined>(undefined);

export function ServicesProvider({ value, children }: { value: Services; children: React.ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}
