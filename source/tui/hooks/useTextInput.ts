// A one-line text field's value and cursor, edited by the keys that go to it.
import { useRef, useState } from 'react';
import type { KeyPress } from '../keys.js';

export interface TextInput {
  value: string;
  cursor: number;
  /** Applies a key; true when the key edited (or moved within) the field. */
  edit(press: KeyPress): boolean;
  set(value: string): void;
  /** The value now, including edits made by keys not yet drawn (several keys in one chunk). */
  current(): string;
}

export function useTextInput(initial = '', onChange?: (value: string) => void): TextInput {
  const [state, setState] = useState({ value: initial, cursor: initial.length });
  const ref = useRef(state);
  ref.current = state;
  const update = (value: string, cursor: number) => {
    const changed = value !== ref.current.value;
    ref.current = { value, cursor };
    setState(ref.current);
    if (changed) onChange?.(value);
  };
  const edit = (press: KeyPress): boolean => {
    const { value, cursor } = ref.current;
    switch (press.name) {
      case 'backspace':
        if (cursor > 0) update(value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
        return true;
      case 'left': update(value, Math.max(0, cursor - 1)); return true;
      case 'right': update(value, Math.min(value.length, cursor + 1)); return true;
      case 'home': case 'ctrl-a': update(value, 0); return true;
      case 'end': case 'ctrl-e': update(value, value.length); return true;
      case 'delete': update(value.slice(0, cursor) + value.slice(cursor + 1), cursor); return true;
      case 'ctrl-u': update(value.slice(cursor), 0); return true;
    }
    // Keys that type nothing have no input; a paste's line breaks become spaces on one line.
    // eslint-disable-next-line no-control-regex -- typed text keeps no control characters
    const text = press.input.replace(/\r\n?|\n/g, ' ').replace(/[\x00-\x1f\x7f]/g, '');
    if (!text) return false;
    update(value.slice(0, cursor) + text + value.slice(cursor), cursor + text.length);
    return true;
  };
  return { ...state, edit, set: (value) => update(value, value.length), current: () => ref.current.value };
}
