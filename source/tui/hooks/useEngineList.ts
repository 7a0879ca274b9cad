// The engine's container and image lists, as every pane reads them (see contexts/lists.tsx).
import type { ContainerSummary, ImageSummary } from '../../engine/api.js';
import { useLists } from '../contexts/lists.js';

export function useContainerList(): { containers: ContainerSummary[]; loaded: boolean; readAt: number } {
  const { items, loaded, readAt } = useLists().containers;
  return { containers: items, loaded, readAt };
}

export function useImageList(): { images: ImageSummary[]; loaded: boolean } {
  const { items, loaded } = useLists().images;
  return { images: items, loaded };
}
