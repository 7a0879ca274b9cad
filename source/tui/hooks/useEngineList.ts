// The engine's container, image, volume and network lists, as every pane reads them (see contexts/lists.tsx).
import type { ContainerSummary, ImageSummary, NetworkRecord, VolumeRecord } from '../../engine/api.js';
import { useLists } from '../contexts/lists.js';

export function useContainerList(): { containers: ContainerSummary[]; loaded: boolean; readAt: number } {
  const { items, loaded, readAt } = useLists().containers;
  return { containers: items, loaded, readAt };
}

export function useImageList(): { images: ImageSummary[]; loaded: boolean } {
  const { items, loaded } = useLists().images;
  return { images: items, loaded };
}

export function useVolumeList(): { volumes: VolumeRecord[]; loaded: boolean; reload(): void } {
  const { items, loaded, reload } = useLists().volumes;
  return { volumes: items, loaded, reload };
}

export function useNetworkList(): { networks: NetworkRecord[]; loaded: boolean; reload(): void } {
  const { items, loaded, reload } = useLists().networks;
  return { networks: items, loaded, reload };
}
