// What the layer explorer shows and loads: the source (an image, a container, or two images
// compared), its layers and waste, the selected layer and view, and that layer's file tree.
// A container's upper layer is re-read every refresh interval so the tree follows what the
// running process writes.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FileNode, ImageComparison, LayerAnalysis, TreeTarget, TreeView } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';
import { errorText } from '../contexts/status.js';
import type { ExplorerSource } from '../model/layer-sources.js';
import { usePoll } from './usePoll.js';

export interface LayerExplorer {
  source?: ExplorerSource;
  target?: TreeTarget;
  analysis?: LayerAnalysis;
  comparison?: ImageComparison;
  layer: number;
  view: TreeView;
  tree?: FileNode;
  loading: boolean;
  error?: string;
  open(source: ExplorerSource | undefined): void;
  selectLayer(index: number): void;
  toggleView(): void;
}

export function targetOf(source: ExplorerSource | undefined): TreeTarget | undefined {
  if (source?.kind === 'image') return { image: source.ref };
  if (source?.kind === 'container') return { container: source.id };
  return undefined;
}

export function useLayerExplorer(active: boolean): LayerExplorer {
  const { engine, config } = useServices();
  const [source, setSource] = useState<ExplorerSource>();
  const [analysis, setAnalysis] = useState<LayerAnalysis>();
  const [comparison, setComparison] = useState<ImageComparison>();
  const [layer, setLayer] = useState(0);
  const [view, setView] = useState<TreeView>('layer');
  const [tree, setTree] = useState<FileNode>();
  const [treeOf, setTreeOf] = useState<ExplorerSource>(); // the source the tree shown belongs to
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const loadedSource = useRef<ExplorerSource | undefined>(undefined);
  const target = targetOf(source);

  const open = useCallback((next: ExplorerSource | undefined) => {
    generation.current++;
    setSource(next);
    setAnalysis(undefined);
    setComparison(undefined);
    setTree(undefined);
    setError(undefined);
    setLayer(-1); // the top layer once the analysis is in
  }, []);

  // The selected layer's tree first (-1: the top layer): a usable screen before the waste figures.
  useEffect(() => {
    const target = targetOf(source);
    if (!target) return;
    const mine = generation.current;
    // A live container's refresh keeps showing what it has until the new tree is in.
    if (loadedSource.current !== source) setLoading(true);
    loadedSource.current = source;
    engine.layerTree(target, layer, view).then(
      (t) => { if (mine === generation.current) { setTree(t); setTreeOf(source); setLoading(false); } },
      (e) => { if (mine === generation.current) { setError(errorText(e)); setLoading(false); } },
    );
  }, [engine, source, layer, view, tick]);

  // Then the layers and waste (again on every refresh of a live container), or the comparison.
  useEffect(() => {
    if (!source) return;
    const mine = generation.current;
    if (source.kind === 'compare') {
      setLoading(true);
      engine.compareImages(source.base, source.other).then(
        (c) => { if (mine === generation.current) { setComparison(c); setLoading(false); } },
        (e) => { if (mine === generation.current) { setError(errorText(e)); setLoading(false); } },
      );
      return;
    }
    if (treeOf !== source) return;
    engine.analyseLayers(targetOf(source)!).then(
      (a) => {
        if (mine !== generation.current) return;
        setAnalysis(a);
        setLayer((current) => (current < 0 || current >= a.layers.length ? a.layers.length - 1 : current));
      },
      (e) => { if (mine === generation.current) setError(errorText(e)); },
    );
  }, [engine, source, tick, treeOf]);

  usePoll(() => setTick((n) => n + 1), config.refreshMs, active && source?.kind === 'container', false);

  const selectLayer = useCallback((index: number) => setLayer(index), []);
  const toggleView = useCallback(() => setView((v) => (v === 'layer' ? 'merged' : 'layer')), []);
  return {
    source, target, analysis, comparison, layer, view,
    tree: source?.kind === 'compare' ? comparison?.tree : tree,
    loading, error, open, selectLayer, toggleView,
  };
}
