import React from 'react';
import { HelpOverlay, type HelpSection } from '../components/HelpOverlay.js';
import { LAYER, useKeypress } from '../contexts/keypress.js';

export function HelpHost({ sections, width, close, accent }: { sections: readonly HelpSection[]; width: number; close: () => void; accent?: string }) {
  useKeypress((press) => {
    if (press.name === 'esc' || press.name === '?' || press.name === 'q' || press.name === 'enter') close();
    return true;
  }, { layer: LAYER.overlay });
  return <HelpOverlay sections={sections} width={width} accent={accent} />;
}
