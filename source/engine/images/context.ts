// What the image operations share: the store paths and the four stores they read and write.
import type { ContentStore } from '../content/content-store.js';
import type { LayerStore } from '../layers/layer-store.js';
import type { StorePaths } from '../store/paths.js';
import type { ImageRecords } from './image-records.js';
import type { TagStore } from './tag-store.js';

export interface ImageStores {
  paths: StorePaths;
  content: ContentStore;
  layers: LayerStore;
  tags: TagStore;
  records: ImageRecords;
}
