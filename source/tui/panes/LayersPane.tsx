// The layer explorer (like dive): pick an image or a container — or two images to compare —
// then its layers on the left (instruction, size; a container's live layer on top) and the
// selected layer's file tree on the right, with wasted space, previews and saving to the host.
// State and keys are in hooks (useLayerExplorer, useLayerPicker, useLayerFile, useFileTree,
// useLayerExplorerKeys); this file lays them out.
import React from 'react';
import { Box, Text } from 'ink';
import { FilePreview } from '../components/FilePreview.js';
import { FileTreeView } from '../components/FileTreeView.js';
import { LayerList } from '../components/LayerList.js';
import { efficiencyLine, WastePanel, wastedRowText } from '../components/WastePanel.js';
import { WindowedTable, type Column } from '../components/WindowedTable.js';
import { useServices } from '../contexts/services.js';
import { useFileTree } from '../hooks/useFileTree.js';
import { useLayerExplorer } from '../hooks/useLayerExplorer.js';
import { useLayerExplorerKeys } from '../hooks/useLayerExplorerKeys.js';
import { useLayerFile } from '../hooks/useLayerFile.js';
import { useLayerPicker } from '../hooks/useLayerPicker.js';
import { comparisonLine, explorerTitle } from '../model/explorer-header.js';
import { printable } from '../model/file-tree-rows.js';
import { fit } from '../model/format.js';
import type { SourceRow } from '../model/layer-sources.js';
import type { PaneProps } from './pane-props.js';

const PICK_COLUMNS: Column<SourceRow>[] = [
  { title: 'KIND', width: 9, value: (r) => r.kind },
  { title: 'NAME', width: 'flex', value: (r) => r.name },
  { title: 'DETAIL', width: 'flex', value: (r) => r.detail },
];

export function LayersPane({ active, width, height }: PaneProps) {
  const { theme } = useServices().config;
  const headerLines = 2;
  const bodyHeight = Math.max(3, height - headerLines);
  const leftWidth = Math.max(24, Math.min(56, Math.floor(width * 0.38)));
  const rightWidth = Math.max(10, width - leftWidth - 1);
  const pickHeight = Math.max(1, height - 2);

  const explorer = useLayerExplorer(active);
  const picker = useLayerPicker(explorer, active, pickHeight);
  const tree = useFileTree(explorer.tree, bodyHeight);
  const file = useLayerFile(explorer, tree.selected?.node, rightWidth);
  const { focus, panel, wasteCursor } = useLayerExplorerKeys({ explorer, picker, file, tree }, active, bodyHeight);
  const { source, analysis, comparison } = explorer;
  const { preview } = file;

  const box = (children: React.ReactNode) => <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>{children}</Box>;

  if (!source) {
    return box(<>
      <Text color={theme.accent} wrap="truncate-end">{fit(picker.compareBase ? `Compare ${picker.compareBase} with: pick an image, Enter` : 'Layer explorer: pick an image or a container (Enter), or c to mark an image to compare', width)}</Text>
      <WindowedTable columns={PICK_COLUMNS} rows={picker.rows} rowKey={(r) => r.key} cursor={picker.cursor.index} start={picker.cursor.start} height={pickHeight} width={width} empty="no images or containers" />
    </>);
  }

  const header = explorerTitle(source, explorer.layer, explorer.view, tree.filter, explorer.loading, { pattern: tree.pattern, patternError: tree.patternError, sort: tree.sort });
  const summary = analysis ? efficiencyLine(analysis) : comparison ? comparisonLine(comparison) : '';

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
      ) : comparison ? (
        <Text wrap="wrap">{`${comparison.other}\nagainst\n${comparison.base}`}</Text>
      ) : <Text dimColor>{explorer.error ?? 'loading…'}</Text>}
    </Box>
  );

  let right: React.ReactNode;
  if (preview) {
    right = <FilePreview title={`${printable(preview.content.path)} at layer ${preview.content.layer}`} lines={preview.lines} scroll={preview.scroll} height={bodyHeight} width={rightWidth} size={preview.content.size} binary={preview.content.binary} truncated={preview.content.truncated} accent={theme.accent} />;
  } else if (panel === 'waste' && analysis) {
    right = <WastePanel analysis={analysis} cursor={Math.min(wasteCursor, Math.max(0, analysis.wasted.length - 1))} height={bodyHeight} width={rightWidth} accent={theme.accent} />;
  } else {
    right = <FileTreeView rows={tree.rows} cursor={tree.cursor} start={tree.start} height={bodyHeight} width={rightWidth} focused={focus === 'tree' || source.kind === 'compare'} theme={theme} empty={explorer.error ?? (explorer.tree ? (tree.pattern ? `no path matches /${tree.pattern} among the shown changes` : 'no file matches the shown changes') : 'loading…')} />;
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
