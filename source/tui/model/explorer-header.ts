// The layer explorer's header lines: what is open, which layer and view, the change filter;
// and a comparison's counts.
import type { ImageComparison, TreeView } from '../../engine/api.js';
import { CHANGE_LETTER, type ChangeFilter, type TreeSort } from './file-tree-rows.js';
import { formatBytes } from './format.js';
import type { ExplorerSource } from './layer-sources.js';

export interface TreeShaping {
  pattern?: string;
  patternError?: string;
  sort?: TreeSort;
}

export function explorerTitle(source: ExplorerSource, layer: number, view: TreeView, filter: ChangeFilter, loading: boolean, shaping: TreeShaping = {}): string {
  const filterText = (['added', 'modified', 'removed', 'unchanged'] as const).map((c) => (filter[c] ? (c === 'unchanged' ? 'U' : CHANGE_LETTER[c]) : '-')).join('');
  const sourceName = source.kind === 'compare' ? `${source.other} against ${source.base}` : source.kind === 'container' ? `container ${source.name}` : source.ref;
  const layerName = layer < 0 ? 'the top layer' : `layer ${layer}`;
  const viewText = source.kind === 'compare' ? 'comparison' : view === 'layer' ? `${layerName} changes only` : `merged up to ${layerName}`;
  const patternText = shaping.pattern ? `  ·  /${shaping.pattern}${shaping.patternError ? ` (${shaping.patternError.replace(/^invalid pattern .*?: /, 'invalid: ')})` : ''}` : '';
  const sortText = shaping.sort === 'size' ? '  ·  biggest first' : '';
  return `${sourceName}  ·  ${viewText}  ·  show ${filterText}${patternText}${sortText}${loading ? '  · loading…' : ''}`;
}

export function comparisonLine(c: ImageComparison): string {
  return `added ${c.added} (${formatBytes(c.addedBytes)})  modified ${c.modified}  removed ${c.removed} (${formatBytes(c.removedBytes)})`;
}
