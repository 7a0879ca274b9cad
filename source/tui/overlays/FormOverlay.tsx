import React, { useRef, useState } from 'react';
import { FormDialog } from '../components/FormDialog.js';
import type { FormField } from '../contexts/overlay.js';
import { LAYER, useKeypress } from '../contexts/keypress.js';
import { useTextInput } from '../hooks/useTextInput.js';

export interface FormOverlayProps {
  title: string;
  fields: readonly FormField[];
  onSubmit: (values: Record<string, string>) => void;
  close: () => void;
  accent?: string;
}

export function FormOverlay({ title, fields, onSubmit, close, accent }: FormOverlayProps) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ''])));
  const [focus, setFocus] = useState(0);
  // Keys can come several to a chunk, faster than frames: each must see what the last did.
  const now = useRef({ values, focus });
  const input = useTextInput(values[fields[0].name]);
  const moveTo = (next: number) => {
    const target = Math.max(0, Math.min(fields.length - 1, next));
    const merged = { ...now.current.values, [fields[now.current.focus].name]: input.current() };
    now.current = { values: merged, focus: target };
    setValues(merged);
    setFocus(target);
    input.set(merged[fields[target].name] ?? '');
    return merged;
  };
  const closed = useRef(false);
  const finish = () => {
    closed.current = true;
    close();
  };
  useKeypress((press) => {
    // A key right behind the one that closed the form (same chunk) is not the form's.
    if (closed.current || press.name === 'ctrl-z') return false;
    const focus = now.current.focus;
    if (press.name === 'esc' || press.name === 'ctrl-c') finish();
    else if (press.name === 'enter') {
      if (focus < fields.length - 1) moveTo(focus + 1);
      else {
        const merged = moveTo(focus);
        finish();
        onSubmit(merged);
      }
    } else if (press.name === 'tab' || press.name === 'down') moveTo(focus + 1);
    else if (press.name === 'shift-tab' || press.name === 'up') moveTo(focus - 1);
    else input.edit(press);
    return true;
  }, { layer: LAYER.overlay });
  const shown = { ...values, [fields[focus].name]: input.value };
  return <FormDialog title={title} fields={fields} values={shown} focus={focus} cursor={input.cursor} accent={accent} />;
}
