// What a build needs of the engine: its image store, pulls of missing bases, pushes and pulls
// of registry build caches, and throwaway containers for RUN steps. The Engine passes itself; the build never imports it.
import type { EngineApi } from '../api.js';
import type { ImageService } from '../images/image-service.js';

export interface BuildHost extends Pick<EngineApi, 'pullImage' | 'pushImage' | 'removeImage' | 'createContainer' | 'startContainer' | 'waitContainer' | 'removeContainer'> {
  readonly images: ImageService;
  readonly containers: { readonly paths: { upper(id: string): string } };
}
