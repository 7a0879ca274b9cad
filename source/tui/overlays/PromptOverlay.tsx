import React from 'react';
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
  useKeypress((press) => {
    if (press.name === 'enter') {
      close();
      onSubmit(input.value);
    } else if (press.name === 'esc') {
      close();
      onCancel?.();
    } else input.edit(press);
    return true;
  }, { layer: LAYER.overlay });
  return <PromptLine label={label} value={input.value} cursor={input.cursor} color={color} />;
}
