import React, { useRef } from 'react';
import { PromptLine } from '../components/PromptLine.js';
import { LAYER, useKeypress } from '../contexts/keypress.js';
import { useTextInput } from '../hooks/useTextInput.js';

export interface PromptOverlayProps {
  label: string;
  initial?: string;
  onSubmit: (value: string) => void;
  onChange?: (value: string) => void;
  onCancel?: () => void;
  close: () => void;
  color?: string;
}

export function PromptOverlay({ label, initial, onSubmit, onChange, onCancel, close, color }: PromptOverlayProps) {
  const input = useTextInput(initial ?? '', onChange);
  const closed = useRef(false);
  useKeypress((press) => {
    // A key right behind the one that closed the prompt (same chunk) is not the prompt's.
    if (closed.current || press.name === 'ctrl-z') return false;
    if (press.name === 'enter') {
      closed.current = true;
      close();
      onSubmit(input.current());
    } else if (press.name === 'esc' || press.name === 'ctrl-c') {
      // Esc and Ctrl-C cancel a prompt (lazydocker's way); Ctrl-C quits only outside one.
      closed.current = true;
      close();
      onCancel?.();
    } else input.edit(press);
    return true;
  }, { layer: LAYER.overlay });
  return <PromptLine label={label} value={input.value} cursor={input.cursor} color={color} />;
}
