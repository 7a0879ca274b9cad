// What the layer explorer can open, as the picker lists it: every image tag (an untagged
// image by its short id) and every container; and where a file of what is open is read from.
import type { ContainerSummary, FileChange, ImageSummary, TreeTarget } from '../../engine/api.js';
import { statusTextAt } from './container-rows.js';
import { formatBytes, shortId } from './format.js';

export type ExplorerSource =
  | { kind: 'image'; ref: string }
  | { kind: 'container'; id: string; name: string }
  | { kind: 'compare'; base: string; other: string };

export interface SourceRow {
  key: string;
  kind: 'image' | 'container';
  name: string;
  detail: string;
  source: ExplorerSource;
}

/** `now`: the time the containers' STATUS words are drawn at (they are not the listing's, which go stale). */
export function sourceRows(images: readonly ImageSummary[], containers: readonly ContainerSummary[], compareBase?: string, now = Date.now()): SourceRow[] {
  return [
    ...images.flatMap((i) => (i.repoTags.length ? i.repoTags : [shortId(i.id)]).map((ref): SourceRow => ({
      key: `i:${ref}`,
      kind: 'image',
      name: ref,
      detail: `${i.layers} layer${i.layers === 1 ? '' : 's'}, ${formatBytes(i.size)}${compareBase === ref ? '  ← compare base' : ''}`,
      source: { kind: 'image', ref },
    }))),
    ...containers.map((c): SourceRow => ({ key: `c:${c.id}`, kind: 'container', name: c.name, detail: `${c.image}, ${statusTextAt(c, now)}`, source: { kind: 'container', id: c.id, name: c.name } })),
  ];
}

/** Where a file is read from: the layer shown; in a comparison, the top of the image holding that copy. */
export function fileSource(source: ExplorerSource | undefined, target: TreeTarget | undefined, layer: number, change: FileChange): { target: TreeTarget; layer: number } | undefined {
  if (source?.kind === 'compare') return { target: { image: change === 'removed' ? source.base : source.other }, layer: -1 };
  return target ? { target, layer } : undefined;
}
