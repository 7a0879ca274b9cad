// Which part of the layer explorer has the keys: the picker until something is open, then a
// file's preview, the wasted-space list, the layer list or the file tree (a comparison has no layers).
export type LayersMode = 'pick' | 'preview' | 'waste' | 'layers' | 'tree';
export type LayersFocus = 'layers' | 'tree';
export type LayersPanel = 'tree' | 'waste';

export interface LayersModeInput {
  opened: boolean; // a source is open
  previewing: boolean;
  panel: LayersPanel;
  analysed: boolean; // its layers and waste are in
  focus: LayersFocus;
  comparing: boolean;
}

export function layersMode(s: LayersModeInput): LayersMode {
  if (!s.opened) return 'pick';
  if (s.previewing) return 'preview';
  if (s.panel === 'waste' && s.analysed) return 'waste';
  return s.focus === 'layers' && !s.comparing ? 'layers' : 'tree';
}

/** `index` kept within a list of `length` rows (0 for an empty one). */
export function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(length - 1, index));
}
