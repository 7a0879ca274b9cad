import React, { useState } from 'react';
import { HelpOverlay, type HelpSection } from '../components/HelpOverlay.js';
import { ALWAYS_GLOBAL, LAYER, useKeypress } from '../contexts/keypress.js';

export function HelpHost({ sections, width, height, close, accent }: { sections: readonly HelpSection[]; width: number; height: number; close: () => void; accent?: string }) {
  const [page, setPage] = useState(0);
  useKeypress((press) => {
    if (ALWAYS_GLOBAL.has(press.name)) return false;
    if (press.name === 'esc' || press.name === '?' || press.name === 'q' || press.name === 'enter') close();
    else if (['pgdn', 'space', 'down', 'j', 'right'].includes(press.name)) setPage((p) => p + 1);
    else if (['pgup', 'up', 'k', 'left'].includes(press.name)) setPage((p) => Math.max(0, p - 1));
    return true;
  }, { layer: LAYER.overlay });
  return <HelpOverlay sections={sections} width={width} height={height} page={page} accent={accent} />;
}
