// Dialogs drawn over the panes: confirm, a one-line prompt, a form, scrollable JSON, help.
// Panes open them through useOverlay(); the app draws the open one and it takes the keys.
import React, { createContext, useCallback, useContext, useMemo, useState } from 'react';

export interface FormField {
  name: string;
  label: string;
  initial?: string;
  hint?: string;
}

export type Overlay =
  | { kind: 'confirm'; message: string; onConfirm: () => void }
  | { kind: 'prompt'; label: string; initial?: string; onSubmit: (value: string) => void; onChange?: (value: string) => void; onCancel?: () => void }
  | { kind: 'form'; title: string; fields: FormField[]; onSubmit: (values: Record<string, string>) => void }
  | { kind: 'json'; title: string; value: unknown }
  | { kind: 'text'; title: string; lines: string[] }
  | { kind: 'help' };

export interface OverlayControl {
  overlay?: Overlay;
  open(overlay: Overlay): void;
  close(): void;
}

const OverlayContext = createContext<OverlayControl | undefined>(undefined);

export function OverlayProvider({ children }: { children: React.ReactNode }) {
  const [overlay, setOverlay] = useState<Overlay>();
  const open = useCallback((next: Overlay) => setOverlay(next), []);
  const close = useCallback(() => setOverlay(undefined), []);
  const value = useMemo(() => ({ overlay, open, close }), [overlay, open, close]);
  return <OverlayContext.Provider value={value}>{children}</OverlayContext.Provider>;
}

export function useOverlay(): OverlayControl {
  const control = useContext(OverlayContext);
  if (!control) throw new Error('useOverlay outside OverlayProvider');
  return control;
}
