import React, { useMemo, useState } from 'react';
import { JsonView } from '../components/JsonView.js';
import { ALWAYS_GLOBAL, LAYER, useKeypress } from '../contexts/keypress.js';

/** Scrollable JSON (inspect), or any text already cut into lines (history). */
export function JsonOverlay({ title, value, lines: given, height, close }: { title: string; value?: unknown; lines?: string[]; height: number; close: () => void }) {
  const lines = useMemo(() => given ?? JSON.stringify(value, null, 2).split('\n'), [given, value]);
  const [offset, setOffset] = useState(0);
  const view = Math.max(1, height - 3);
  const last = Math.max(0, lines.length - view);
  const go = (to: number) => setOffset(Math.max(0, Math.min(last, to)));
  useKeypress((press) => {
    if (ALWAYS_GLOBAL.has(press.name)) return false;
    switch (press.name) {
      case 'esc': case 'q': case 'i': case 'h': close(); break;
      case 'up': case 'k': go(offset - 1); break;
      case 'down': case 'j': go(offset + 1); break;
      case 'pgup': case 'ctrl-b': go(offset - view); break;
      case 'pgdn': case 'ctrl-f': case 'space': go(offset + view); break;
      case 'g': case 'home': go(0); break;
      case 'G': case 'end': go(last); break;
    }
    return true;
  }, { layer: LAYER.overlay });
  return <JsonView title={title} lines={lines} offset={offset} height={view} />;
}
