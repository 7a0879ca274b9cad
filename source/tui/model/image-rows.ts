// Images as the table shows them: one row per tag (untagged images once), with the number
// of containers created from each; the images a prune removes.
import type { ContainerSummary, ImageSummary } from '../../engine/api.js';

export interface ImageRow {
  key: string; // ref or id: unique per row
  ref: string; // repo:tag, or <none>:<none>
  id: string;
  size: number;
  created: string;
  containers: number;
  image: ImageSummary;
}

export function imageRows(images: readonly ImageSummary[], containers: readonly ContainerSummary[], filter: string): ImageRow[] {
  const users = new Map<string, number>();
  for (const c of containers) users.set(c.imageId, (users.get(c.imageId) ?? 0) + 1);
  const q = filter.toLowerCase();
  const rows: ImageRow[] = [];
  for (const image of images) {
    const refs = image.repoTags.length > 0 ? image.repoTags : ['<none>:<none>'];
    for (const ref of refs) {
      if (q && !ref.toLowerCase().includes(q) && !image.id.replace(/^sha256:/, '').startsWith(q)) continue;
      rows.push({ key: ref === '<none>:<none>' ? image.id : ref, ref, id: image.id, size: image.size, created: image.created, containers: users.get(image.id) ?? 0, image });
    }
  }
  return rows.sort((a, b) => a.ref.localeCompare(b.ref));
}

/** What names a row's image to the engine: its tag, or its id when untagged. */
export function imageRef(row: ImageRow): string {
  return row.ref === '<none>:<none>' ? row.id : row.ref;
}

/** Images docker's `image prune` removes: untagged and used by no container. */
export function danglingImages(images: readonly ImageSummary[], usedIds: ReadonlySet<string>): ImageSummary[] {
  return images.filter((i) => i.repoTags.length === 0 && !usedIds.has(i.id));
}
