// Every provider around the app, in dependency order. Tests render <Root> on a real engine.
import React, { useMemo } from 'react';
import { Box } from 'ink';
import { App } from './App.js';
import { KeypressProvider } from './contexts/keypress.js';
import { ListsProvider } from './contexts/lists.js';
import { NavigationProvider } from './contexts/navigation.js';
import { OverlayProvider } from './contexts/overlay.js';
import { ServicesProvider, type Services } from './contexts/services.js';
import { ShellsProvider } from './contexts/shells.js';
import { StatsProvider } from './contexts/stats.js';
import { StatusProvider } from './contexts/status.js';
import type { PaneId } from './keymap.js';

export interface RootProps {
  services: Services;
  suspended?: boolean; // the terminal is handed over to a shell: take no keys
  initialPane?: PaneId;
}

export function Root({ services, suspended = false, initialPane }: RootProps) {
  const { keymap } = services.config;
  const bound = useMemo(() => new Set(Object.values(keymap).flatMap((bindings) => bindings.flatMap((b) => b.keys))), [keymap]);
  return (
    <ServicesProvider value={services}>
      <StatusProvider>
        <KeypressProvider active={!suspended} bound={bound}>
          <NavigationProvider initialPane={initialPane}>
            <ListsProvider>
              <OverlayProvider>
                <StatsProvider>
                  <ShellsProvider>
                    {/* Hidden rather than unmounted, so the panes keep their state across a shell. */}
                    <Box display={suspended ? 'none' : 'flex'}>
                      <App />
                    </Box>
                  </ShellsProvider>
                </StatsProvider>
              </OverlayProvider>
            </ListsProvider>
          </NavigationProvider>
        </KeypressProvider>
      </StatusProvider>
    </ServicesProvider>
  );
}
