// Multi-layer images made in the tests: each layer a tar built here, ingested through the
// image store's own content, layer and record code, with a config history (including
// empty_layer entries) as docker build writes one. strata has no multi-layer import verb yet.
import { chainIds } from '../../../../source/engine/layers/chain-id.js';
import type { Engine } from '../../../../source/engine/engine.js';
import type { ImageRecord } from '../../../../source/engine/api.js';
import { goArch, MediaType, serialise, type HistoryEntry, type OciImageConfig, type OciManifest } from '../../../../source/engine/images/oci.js';
import { fullReference, parseReference } from '../../../../source/engine/images/reference.js';
import { withIngestLease, withLock } from '../../../../source/engine/store/lock.js';
import type { StoredImage } from '../../../../source/engine/images/image-records.js';
import { makeTar, type TarEntry } from '../tar-fixtures.js';

export type LayerSpec = { instruction: string; entries: TarEntry[] } | { instruction: string; empty: true };

export async function importLayered(engine: Engine, ref: string, specs: LayerSpec[]): Promise<ImageRecord> {
  const stores = engine.images;
  return withIngestLease(stores.paths, async () => {
    const diffIds: string[] = [];
    const history: HistoryEntry[] = [];
    const created = new Date().toISOString();
    for (const spec of specs) {
      if ('empty' in spec) {
        history.push({ created, created_by: spec.instruction, empty_layer: true });
        continue;
      }
      const blob = await stores.content.put(await makeTar(spec.entries));
      const chains = chainIds([...diffIds, blob.digest]);
      await stores.layers.ensure(chains.length > 1 ? chains[chains.length - 2] : null, blob.digest, () => stores.content.open(blob.digest), { blobDigest: blob.digest });
      diffIds.push(blob.digest);
      history.push({ created, created_by: spec.instruction });
    }
    const config: OciImageConfig = { created, architecture: goArch(), os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds }, history };
    const configBlob = serialise(config, MediaType.ociConfig);
    const manifest: OciManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configBlob.descriptor,
      layers: diffIds.map((d) => ({ mediaType: MediaType.ociLayer, digest: d, size: 0 })),
    };
    const manifestBlob = serialise(manifest, MediaType.ociManifest);
    await stores.content.put(configBlob.bytes, configBlob.descriptor.digest);
    await stores.content.put(manifestBlob.bytes, manifestBlob.descriptor.digest);
    const chains = chainIds(diffIds);
    const image: StoredImage = {
      id: configBlob.descriptor.digest,
      manifestDigest: manifestBlob.descriptor.digest,
      created,
      architecture: config.architecture,
      os: 'linux',
      config: config.config!,
      diffIds,
      chainIds: chains,
      layerDigests: diffIds,
      size: 0,
    };
    for (const chain of chains) image.size += await stores.layers.layerSize(chain);
    await withLock(stores.paths, () => {
      stores.records.write(image);
      stores.tags.update((refs) => { refs.set(fullReference(parseReference(ref)), image.id); });
    });
    return stores.resolve(image.id);
  });
}

const dir = (name: string): TarEntry => ({ name: `${name}/`, type: 'directory', mode: 0o755 });
const file = (name: string, data: string | Buffer): TarEntry => ({ name, data });

/**
 * Three layers whose waste is worked out by hand in trees.test.ts:
 * 0 ADD: etc/config 100, etc/keep 10, data/big 1000, data/sub/x 50, opq/old1 30, opq/old2 20, bin/tool 200
 * 1 RUN change: etc/config 150 (modified), etc/new 40 (added), data removed (whiteout), bin/tool removed
 * 2 RUN opaque: opq made opaque with old1 35 written back and fresh 5 added (old2 removed), etc/config 120, bin/tool 70
 */
export function threeLayerSpecs(): LayerSpec[] {
  return [
    { instruction: 'ADD base.tar /', entries: [
      dir('etc'), file('etc/config', 'a'.repeat(100)), file('etc/keep', 'k'.repeat(10)),
      dir('data'), file('data/big', 'b'.repeat(1000)), dir('data/sub'), file('data/sub/x', 'x'.repeat(50)),
      dir('opq'), file('opq/old1', 'o'.repeat(30)), file('opq/old2', 'p'.repeat(20)),
      dir('bin'), file('bin/tool', Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(196, 0)])),
    ] },
    { instruction: 'ENV X=1', empty: true },
    { instruction: '/bin/sh -c change', entries: [
      dir('etc'), file('etc/config', 'c'.repeat(150)), file('etc/new', 'n'.repeat(40)),
      file('.wh.data', ''),
      dir('bin'), file('bin/.wh.tool', ''),
    ] },
    { instruction: '/bin/sh -c opaque', entries: [
      dir('opq'), file('opq/.wh..wh..opq', ''), file('opq/old1', 'O'.repeat(35)), file('opq/fresh', 'f'.repeat(5)),
      dir('etc'), file('etc/config', 'C'.repeat(120)),
      dir('bin'), file('bin/tool', 't'.repeat(70)),
    ] },
  ];
}
