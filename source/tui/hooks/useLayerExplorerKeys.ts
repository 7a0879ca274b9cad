// What each key does in the layer explorer, by the part that has the keys (model/layers-mode.ts):
// the picker, a file's preview, the wasted-space list, the layer list or the file tree. Holds
// which of layers/tree has the focus, which panel is on the right and the waste list's cursor.
import { useState } from 'react';
import { clampIndex, layersMode, type LayersFocus, type LayersMode, type LayersPanel } from '../model/layers-mode.js';
import type { FileTreeState } from './useFileTree.js';
import { useKeymap, type ActionHandlers } from './useKeymap.js';
import type { LayerExplorer } from './useLayerExplorer.js';
import type { LayerFile } from './useLayerFile.js';
import type { LayerPicker } from './useLayerPicker.js';

export interface LayerExplorerFocus {
  mode: LayersMode;
  focus: LayersFocus;
  panel: LayersPanel;
  wasteCursor: number;
}

// The tree's filter keys also work while the layer list has the focus.
const TREE_KEYS_ON_LAYERS = ['toggle-added', 'toggle-modified', 'toggle-removed', 'toggle-unchanged', 'fold-all', 'tree-filter', 'sort'];

export interface LayerExplorerParts {
  explorer: LayerExplorer;
  picker: LayerPicker;
  file: LayerFile;
  tree: FileTreeState;
}

export function useLayerExplorerKeys({ explorer, picker, file, tree }: LayerExplorerParts, active: boolean, bodyHeight: number): LayerExplorerFocus {
  const [focus, setFocus] = useState<LayersFocus>('tree');
  const [panel, setPanel] = useState<LayersPanel>('tree');
  const [wasteCursor, setWasteCursor] = useState(0);
  const { analysis, source } = explorer;
  const comparing = source?.kind === 'compare';
  const mode = layersMode({ opened: !!source, previewing: !!file.preview, panel, analysed: !!analysis, focus, comparing });

  const moveLayer = (by: number) => {
    if (analysis) explorer.selectLayer(clampIndex(explorer.layer + by, analysis.layers.length));
  };
  const moveWaste = (to: number) => setWasteCursor(clampIndex(to, analysis?.wasted.length ?? 1));
  const page = Math.max(1, bodyHeight - 2);

  let handlers: ActionHandlers;
  if (mode === 'pick') {
    handlers = {
      ...picker.handlers,
      preview: () => {
        picker.openSelected();
        file.close();
        setPanel('tree');
        setFocus('tree');
      },
    };
  } else if (mode === 'preview') {
    handlers = {
      up: () => file.scroll(-1), down: () => file.scroll(1),
      'page-up': () => file.scroll(-page), 'page-down': () => file.scroll(page),
      top: () => file.scroll(-Infinity), bottom: () => file.scroll(Infinity),
      save: file.save, back: file.close,
    };
  } else if (mode === 'waste') {
    handlers = {
      up: () => moveWaste(wasteCursor - 1), down: () => moveWaste(wasteCursor + 1),
      'page-up': () => moveWaste(wasteCursor - bodyHeight), 'page-down': () => moveWaste(wasteCursor + bodyHeight),
      top: () => moveWaste(0), bottom: () => moveWaste(Infinity),
      waste: () => setPanel('tree'), back: () => setPanel('tree'),
    };
  } else {
    const layerKeys: ActionHandlers = {
      up: () => moveLayer(-1), down: () => moveLayer(1),
      top: () => explorer.selectLayer(0), bottom: () => moveLayer(Infinity),
      expand: () => setFocus('tree'), preview: () => setFocus('tree'),
    };
    handlers = {
      ...(mode === 'layers' ? layerKeys : { ...tree.handlers, preview: file.open, save: file.save }),
      focus: comparing ? undefined : () => setFocus((f) => (f === 'layers' ? 'tree' : 'layers')),
      view: comparing ? undefined : explorer.toggleView,
      waste: analysis ? () => setPanel('waste') : undefined,
      ...(mode === 'layers' ? Object.fromEntries(TREE_KEYS_ON_LAYERS.map((action) => [action, tree.handlers[action]])) : {}),
      // Esc clears the path filter first, as it clears a list's filter elsewhere.
      back: () => (tree.pattern ? tree.clearPattern() : explorer.open(undefined)),
    };
  }
  useKeymap(['layers'], handlers, { active });
  return { mode, focus, panel, wasteCursor };
}
