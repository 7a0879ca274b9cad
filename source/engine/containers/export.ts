// `export`: a container's merged filesystem as one tar (running or stopped), entries named
// without a leading "./" as docker writes them, so `import` of the result gives the same tree.
import type { ImageService } from '../images/image-service.js';
import { streamSource } from './copy.js';
import { withContainerRoot } from './rootfs-access.js';
import type { ContainerService } from './service.js';

export async function exportContainer(containers: ContainerService, images: ImageService, ref: string, out: NodeJS.WritableStream): Promise<void> {
  await withContainerRoot(containers, images, ref, 'read', async (scope) => {
    const resolved = scope.lookup('/');
    try {
      await streamSource({ resolved, name: '', isDir: true, contentsOnly: true }, out);
    } finally {
      resolved.close();
    }
  });
}
