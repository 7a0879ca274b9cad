// y confirms, n, Esc or Ctrl-C cancels; every other key is swallowed so nothing reaches the pane.
import React from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { LAYER, useKeypress } from '../contexts/keypress.js';
import type { Theme } from '../theme.js';

export function ConfirmOverlay({ message, onConfirm, close, theme }: { message: string; onConfirm: () => void; close: () => void; theme: Theme }) {
  useKeypress((press) => {
    if (press.name === 'ctrl-z') return false;
    if (press.name === 'y' || press.name === 'Y') {
      close();
      onConfirm();
    } else if (press.name === 'n' || press.name === 'N' || press.name === 'esc' || press.name === 'ctrl-c' || press.name === 'q') close();
    return true;
  }, { layer: LAYER.overlay });
  return <ConfirmDialog message={message} color={theme.warning} />;
}
