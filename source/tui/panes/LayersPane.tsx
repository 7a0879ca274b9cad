// The layer explorer (like dive): pick an image or a container — or two images to compare —
// then its layers on the left (instruction, size; a container's live layer on top) and the
// selected layer's file tree on the right, with wasted space, previews and saving to the host.
import path from 'node:path';
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { LayerFileContent, TreeTarget } from '../../engine/api.js';
import { FilePreview } from '../components/FilePreview.js';
import { FileTreeView } from '../components/FileTreeView.js';
import { LayerList } from '../components/LayerList.js';
import { efficiencyLine, WastePanel, wastedRowText } from '../components/WastePanel.js';
import { WindowedTable, type Column } from '../components/WindowedTable.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { useContainerList, useImageList } from '../hooks/useEngineList.js';
import { useFileTree } from '../hooks/useFileTree.js';
import { useKeymap, type ActionHandlers } from '../hooks/useKeymap.js';
import { useLayerExplorer } from '../hooks/useLayerExplorer.js';
import { useListCursor } from '../hooks/useListCursor.js';
import { CHANGE_LETTER, printable } from '../model/file-tree-rows.js';
import { fit, formatBytes } from '../model/format.js';
import { sourceRows, type SourceRow } from '../model/layer-sources.js';
import { hexBytesPerLine, hexLines, textLines } from '../model/hex-view.js';
import type { PaneProps } from './pane-props.js';

const PICK_COLUMNS: Column<SourceRow>[] = [
  { title: 'KIND', width: 9, value: (r) => r.kind },
  { title: 'NAME', width: 'flex', value: (r) => r.name },
  { title: 'DETAIL', width: 'flex', value: (r) => r.detail },
];

// A screen shows a few dozen lines: the first 256 KiB (16k hex lines) is plenty to scroll through.
const PREVIEW_BYTES = 256 * 1024;

interface Preview {
  content: LayerFileContent;
  lines: string[];
  scroll: number;
}

export function LayersPane({ active, width, height }: PaneProps) {
  const { engine, config } = useServices();
  const { theme } = config;
  const nav = useNavigation();
  const overlay = useOverlay();
  const { notify } = useStatus();
  const explorer = useLayerExplorer(active);
  const { images } = useImageList();
  const { containers } = useContainerList();
  const [compareBase, setCompareBase] = useState<string>();
  const [focus, setFocus] = useState<'layers' | 'tree'>('tree');
  const [panel, setPanel] = useState<'tree' | 'waste'>('tree');
  const [preview, setPreview] = useState<Preview>();
  const [wasteCursor, setWasteCursor] = useState(0);

  // The images pane's "open in the layer explorer" (and its selection when this pane is shown).
  const seenImage = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!active || !nav.image || nav.image.id === seenImage.current) return;
    seenImage.current = nav.image.id;
    explorer.open({ kind: 'image', ref: nav.image.ref });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, nav.image]);

  const pickRows = useMemo(() => sourceRows(images, containers, compareBase), [images, containers, compareBase]);

  const headerLines = 2;
  const bodyHeight = Math.max(3, height - headerLines);
  const pickCursor = useListCursor(pickRows, (r) => r.key, Math.max(1, height - 2));
  const leftWidth = Math.max(24, Math.min(56, Math.floor(width * 0.38)));
  const rightWidth = Math.max(10, width - leftWidth - 1);
  const tree = useFileTree(explorer.tree, bodyHeight);
  const analysis = explorer.analysis;

  const openPicked = () => {
    const row = pickRows[pickCursor.index];
    if (!row) return;
    if (compareBase && row.kind === 'image' && row.name !== compareBase) {
      explorer.open({ kind: 'compare', base: compareBase, other: row.name });
      setCompareBase(undefined);
    } else {
      explorer.open(row.source);
    }
    setPreview(undefined);
    setPanel('tree');
    setFocus('tree');
  };

  // What a file is read from: the layer shown; in a comparison, the top of the image holding the copy.
  const fileSource = (node: { change: string }): { target: TreeTarget; layer: number } | undefined => {
    const src = explorer.source;
    if (src?.kind === 'compare') return { target: { image: node.change === 'removed' ? src.base : src.other }, layer: -1 };
    return explorer.target ? { target: explorer.target, layer: explorer.layer } : undefined;
  };

  const openPreview = () => {
    const node = tree.selected?.node;
    const from = node && fileSource(node);
    if (!node || node.kind === 'dir' || !from) return;
    engine.readLayerFile(from.target, from.layer, node.path, PREVIEW_BYTES).then(
      (content) => {
        const lines = content.kind === 'symlink' ? [`symbolic link → ${printable(content.link ?? '')}`] : content.binary ? hexLines(content.data, hexBytesPerLine(rightWidth)) : textLines(content.data.toString('utf8'));
        setPreview({ content, lines, scroll: 0 });
      },
      (e) => notify(`preview ${printable(node.path)}: ${printable(errorText(e))}`, 'error'),
    );
  };

  const save = () => {
    const node = tree.selected?.node;
    const from = node && fileSource(node);
    if (!node || node.kind === 'dir' || !from) return;
    const { target } = from;
    const layer = preview ? preview.content.layer : from.layer;
    overlay.open({
      kind: 'prompt',
      label: `save ${printable(node.path)}${layer >= 0 ? ` (layer ${layer})` : ''} to: `,
      initial: path.join(process.cwd(), path.posix.basename(node.path)),
      onSubmit: (dest) => {
        if (!dest.trim()) return;
        engine.saveLayerFile(target, layer, node.path, dest.trim()).then(
          (where) => notify(`saved ${printable(node.path)}${layer >= 0 ? ` from layer ${layer}` : ''} to ${where}`, 'ok'),
          (e) => notify(`save ${printable(node.path)}: ${printable(errorText(e))}`, 'error'),
        );
      },
    });
  };

  const scrollPreview = (by: number) => setPreview((p) => (p ? { ...p, scroll: Math.max(0, Math.min(p.lines.length - 1, p.scroll + by)) } : p));
  const moveLayer = (by: number) => {
    if (!analysis) return;
    explorer.selectLayer(Math.max(0, Math.min(analysis.layers.length - 1, explorer.layer + by)));
  };
  const moveWaste = (to: number) => setWasteCursor(Math.max(0, Math.min((analysis?.wasted.length ?? 1) - 1, to)));

  let handlers: ActionHandlers;
  if (!explorer.source) {
    handlers = {
      ...pickCursor.handlers,
      preview: openPicked,
      compare: () => {
        const row = pickRows[pickCursor.index];
        if (row?.kind !== 'image') return notify('only images can be compared', 'error');
        setCompareBase(row.name === compareBase ? undefined : row.name);
        notify(row.name === compareBase ? 'compare cancelled' : `comparing with ${row.name}: pick the other image and press Enter`);
      },
      back: compareBase ? () => setCompareBase(undefined) : undefined,
    };
  } else if (preview) {
    const page = Math.max(1, bodyHeight - 2);
    handlers = {
      up: () => scrollPreview(-1), down: () => scrollPreview(1),
      'page-up': () => scrollPreview(-page), 'page-down': () => scrollPreview(page),
      top: () => scrollPreview(-Infinity), bottom: () => scrollPreview(Infinity),
      save, back: () => setPreview(undefined),
    };
  } else if (panel === 'waste' && analysis) {
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
      ...(focus === 'layers' && explorer.source.kind !== 'compare' ? layerKeys : { ...tree.handlers, preview: openPreview, save }),
      focus: explorer.source.kind === 'compare' ? undefined : () => setFocus((f) => (f === 'layers' ? 'tree' : 'layers')),
      view: explorer.source.kind === 'compare' ? undefined : explorer.toggleView,
      waste: analysis ? () => setPanel('waste') : undefined,
      ...(focus === 'layers' ? { 'toggle-added': tree.handlers['toggle-added'], 'toggle-modified': tree.handlers['toggle-modified'], 'toggle-removed': tree.handlers['toggle-removed'], 'toggle-unchanged': tree.handlers['toggle-unchanged'], 'fold-all': tree.handlers['fold-all'] } : {}),
      back: () => explorer.open(undefined),
    };
  }
  useKeymap(['layers'], handlers, { active });

  const box = (children: React.ReactNode) => <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>{children}</Box>;

  if (!explorer.source) {
    return box(<>
      <Text color={theme.accent} wrap="truncate-end">{fit(compareBase ? `Compare ${compareBase} with: pick an image, Enter` : 'Layer explorer: pick an image or a container (Enter), or c to mark an image to compare', width)}</Text>
      <WindowedTable columns={PICK_COLUMNS} rows={pickRows} rowKey={(r) => r.key} cursor={pickCursor.index} start={pickCursor.start} height={Math.max(1, height - 2)} width={width} empty="no images or containers" />
    </>);
  }

  const filterText = (['added', 'modified', 'removed', 'unchanged'] as const).map((c) => (tree.filter[c] ? (c === 'unchanged' ? 'U' : CHANGE_LETTER[c]) : '-')).join('');
  const sourceName = explorer.source.kind === 'compare' ? `${explorer.source.other} against ${explorer.source.base}` : explorer.source.kind === 'container' ? `container ${explorer.source.name}` : explorer.source.ref;
  const layerName = explorer.layer < 0 ? 'the top layer' : `layer ${explorer.layer}`;
  const viewText = explorer.source.kind === 'compare' ? 'comparison' : explorer.view === 'layer' ? `${layerName} changes only` : `merged up to ${layerName}`;
  const header = `${sourceName}  ·  ${viewText}  ·  show ${filterText}${explorer.loading ? '  · loading…' : ''}`;
  const summary = analysis ? efficiencyLine(analysis) : explorer.comparison
    ? `added ${explorer.comparison.added} (${formatBytes(explorer.comparison.addedBytes)})  modified ${explorer.comparison.modified}  removed ${explorer.comparison.removed} (${formatBytes(explorer.comparison.removedBytes)})`
    : '';

  const layerHeight = analysis ? Math.min(analysis.layers.length, Math.max(1, Math.floor(bodyHeight / 2))) : 0;
  const wasteLines = Math.max(0, bodyHeight - layerHeight - 2);
  const left = (
    <Box flexDirection="column" width={leftWidth} height={bodyHeight}>
      {analysis ? (
        <>
          <LayerList layers={analysis.layers} cursor={explorer.layer} height={layerHeight} width={leftWidth} focused={focus === 'layers'} accent={theme.accent} />
          <Text bold wrap="truncate-end">{fit('Wasted (w: all)', leftWidth)}</Text>
          {analysis.wasted.slice(0, wasteLines).map((w) => <Text key={w.path} dimColor wrap="truncate-end">{wastedRowText(w, leftWidth)}</Text>)}
        </>
      ) : explorer.comparison ? (
        <Text wrap="wrap">{`${explorer.comparison.other}\nagainst\n${explorer.comparison.base}`}</Text>
      ) : <Text dimColor>{explorer.error ?? 'loading…'}</Text>}
    </Box>
  );

  let right: React.ReactNode;
  if (preview) {
    right = <FilePreview title={`${printable(preview.content.path)} at layer ${preview.content.layer}`} lines={preview.lines} scroll={preview.scroll} height={bodyHeight} width={rightWidth} size={preview.content.size} binary={preview.content.binary} truncated={preview.content.truncated} accent={theme.accent} />;
  } else if (panel === 'waste' && analysis) {
    right = <WastePanel analysis={analysis} cursor={Math.min(wasteCursor, Math.max(0, analysis.wasted.length - 1))} height={bodyHeight} width={rightWidth} accent={theme.accent} />;
  } else {
    right = <FileTreeView rows={tree.rows} cursor={tree.cursor} start={tree.start} height={bodyHeight} width={rightWidth} focused={focus === 'tree' || explorer.source.kind === 'compare'} theme={theme} empty={explorer.error ?? (explorer.tree ? 'no file matches the shown changes' : 'loading…')} />;
  }

  return box(<>
    <Text bold color={theme.accent} wrap="truncate-end">{fit(header, width)}</Text>
    <Text wrap="truncate-end">{fit(summary, width)}</Text>
    <Box flexDirection="row" height={bodyHeight}>
      {left}
      <Box width={1} />
      {right}
    </Box>
  </>);
}
