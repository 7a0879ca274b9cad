// The manifest, index and layer formats a registry may hand us, and what strata does with
// each: OCI image manifest and index, Docker v2 schema 2 manifest and manifest list; layers as
// plain tar, gzip, and zstd where this Node can decompress it. Anything else is refused by name.
import { EngineError } from '../errors.js';
import { checkDescriptorSize, checkLayerCount } from '../layers/limits.js';
import { zstdDecompressor } from '../layers/decompress.js';
import { MediaType, type Descriptor } from '../images/oci.js';

export const DockerMediaType = {
  manifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  manifest: MediaType.dockerManifest,
  config: MediaType.dockerConfig,
  layerGzip: MediaType.dockerLayerGzip,
  foreignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';

export const MANIFEST_TYPES = [MediaType.ociManifest, DockerMediaType.manifest];
export const INDEX_TYPES = [MediaType.ociIndex, DockerMediaType.manifestList];
export const ACCEPT_MANIFESTS = [...MANIFEST_TYPES, ...INDEX_TYPES].join(', ');
const CONFIG_TYPES: string[] = [MediaType.ociConfig, DockerMediaType.config];

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface IndexEntry extends Descriptor {
  platform?: Platform & { 'os.version'?: string };
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: IndexEntry[];
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export type LayerCompression = 'none' | 'gzip' | 'zstd';

export function layerCompression(mediaType: string): LayerCompression {
  switch (mediaType) {
    case MediaType.ociLayer:
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar':
      return 'none';
    case MediaType.ociLayerGzip:
    case DockerMediaType.layerGzip:
    case DockerMediaType.foreignLayerGzip:
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip':
      return 'gzip';
    case OCI_LAYER_ZSTD:
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd':
      if (!zstdDecompressor()) throw new EngineError(`layer media type ${mediaType} needs zstd, which this Node's zlib lacks (Node 22.15 or newer has it)`, 'invalid');
      return 'zstd';
    default:
      throw new EngineError(`unknown layer media type ${JSON.stringify(mediaType)}`, 'invalid');
  }
}

/** Which kind of document a manifest response is: by its Content-Type, else by its own mediaType field. */
export function manifestKind(contentType: string | undefined, doc: { mediaType?: unknown; manifests?: unknown; config?: unknown }): 'index' | 'manifest' {
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const type = declared ?? contentType?.split(';')[0].trim();
  if (type && (INDEX_TYPES as string[]).includes(type)) return 'index';
  if (type && (MANIFEST_TYPES as string[]).includes(type)) return 'manifest';
  if (type === DockerMediaType.schema1 || type === DockerMediaType.schema1Signed) {
    throw new EngineError('the registry only has a Docker image manifest v2 schema 1 for this image, which is deprecated and not supported', 'invalid');
  }
  if ((!type || type === 'application/json') && Array.isArray(doc.manifests)) return 'index';
  if ((!type || type === 'application/json') && typeof doc.config === 'object') return 'manifest';
  throw new EngineError(`unsupported manifest media type ${JSON.stringify(type ?? 'none')}`, 'invalid');
}

export function validateManifest(doc: ImageManifest): ImageManifest {
  if (doc.schemaVersion !== 2 || typeof doc.config !== 'object' || !Array.isArray(doc.layers)) {
    throw new EngineError('invalid image manifest: expected schemaVersion 2 with a config and layers', 'invalid');
  }
  if (!CONFIG_TYPES.includes(doc.config.mediaType)) throw new EngineError(`unsupported image config media type ${JSON.stringify(doc.config.mediaType)}: not a container image`, 'invalid');
  checkLayerCount(doc.layers.length);
  checkDescriptorSize(doc.config.size, `image config ${doc.config.digest}`);
  for (const layer of doc.layers) {
    layerCompression(layer.mediaType);
    checkDescriptorSize(layer.size, `layer ${layer.digest}`);
  }
  return doc;
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.toLowerCase().split('/');
  if (!os || !architecture || extra !== undefined) throw new EngineError(`invalid platform ${JSON.stringify(text)}: expected os/arch[/variant], e.g. linux/amd64`, 'invalid');
  const arch = architecture === 'x86_64' || architecture === 'x86-64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture;
  return { os, architecture: arch, variant: variant || undefined };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** The index entry for the platform; arm64's implied variant v8 matches an entry without one. */
export function selectPlatform(index: ImageIndex, want: Platform): IndexEntry | undefined {
  const candidates = index.manifests.filter((m) => (MANIFEST_TYPES as string[]).includes(m.mediaType) && m.platform
    && m.platform.os === want.os && m.platform.architecture === want.architecture);
  if (!want.variant) return candidates.find((m) => !m.platform!.variant || m.platform!.variant === 'v8') ?? candidates[0];
  return candidates.find((m) => m.platform!.variant === want.variant) ?? (want.variant === 'v8' ? candidates.find((m) => !m.platform!.variant) : undefined);
}
