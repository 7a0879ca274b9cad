// The inspect overlay of every pane: what `strata inspect` (or `network inspect`, `volume
// inspect`) prints — docker's shape from engine/docker-shape, in a JSON array indented by 4.
import { useCallback } from 'react';
import { containerInspect } from '../../engine/docker-shape/container-inspect.js';
import { imageInspect } from '../../engine/docker-shape/image-inspect.js';
import { networkInspectShape, volumeInspectShape } from '../../engine/docker-shape/network-shape.js';
import { cliCommand } from '../model/cli-command.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';

export interface Inspector {
  /** `name`: what the title calls it (the command a user would type); `ref` is read. */
  container(ref: string, name?: string): void;
  image(ref: string): void;
  network(ref: string): void;
  volume(name: string): void;
}

export function useInspect(): Inspector {
  const { engine } = useServices();
  const { open } = useOverlay();
  const { notify } = useStatus();
  const root = engine.options.root;
  const show = useCallback((words: string[], read: () => Promise<object>) => {
    read().then(
      (shape) => open({ kind: 'json', title: cliCommand(...words), value: [shape] }),
      (error) => notify(`${words.join(' ')}: ${errorText(error)}`, 'error'),
    );
  }, [open, notify]);
  const container = useCallback((ref: string, name?: string) => show(['inspect', name ?? ref], async () => {
    const record = await engine.inspectContainer(ref);
    // The image may be gone: inspect then leaves its layers out, as the CLI does.
    const chainIds = await engine.inspectImage(record.config.imageId).then((i) => i.chainIds, () => undefined);
    return containerInspect(record, { root, imageChainIds: chainIds });
  }), [engine, root, show]);
  const image = useCallback((ref: string) => show(['inspect', ref], async () => imageInspect(await engine.inspectImage(ref), root)), [engine, root, show]);
  const network = useCallback((ref: string) => show(['network', 'inspect', ref], async () => {
    const { network: record, containers } = await engine.inspectNetwork(ref);
    return networkInspectShape(record, containers);
  }), [engine, show]);
  const volume = useCallback((name: string) => show(['volume', 'inspect', name], async () => volumeInspectShape(await engine.inspectVolume(name))), [engine, show]);
  return { container, image, network, volume };
}
