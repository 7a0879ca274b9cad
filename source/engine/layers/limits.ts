// What an image may ask of the layer store, checked before anything is written: docker's
// 125-layer ceiling (an overlay mount of more fails), descriptor sizes that are byte counts, and
// a bound on one layer's uncompressed bytes (a gzip bomb stops as it inflates, not at ENOSPC).
// The bound is the config file's "layers": {"maxUncompressedBytes": N}, 50 GiB by default —
// docker has none; this one only stops what no real layer needs.
import { EngineError } from '../errors.js';
import { positiveNumber, readConfigFile } from '../store/config-file.js';

export const MAX_LAYERS = 125;
export const DEFAULT_MAX_LAYER_BYTES = 50 * 1024 ** 3;

/** For load and pull: refuses an image a container could not mount. */
export function checkLayerCount(count: number): void {
  if (count > MAX_LAYERS) throw new EngineError(`image has ${count} layers, more than the ${MAX_LAYERS} a container can mount`, 'invalid');
}

/** A descriptor's size as a byte count (0 … 2^53−1), or a clear refusal naming the descriptor. */
export function checkDescriptorSize(size: unknown, what: string): number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new EngineError(`${what} declares an invalid size ${JSON.stringify(size) ?? String(size)}: not a byte count`, 'invalid');
  }
  return size;
}

export function configuredMaxLayerBytes(env: NodeJS.ProcessEnv = process.env): number {
  const layers = readConfigFile(env).layers as { maxUncompressedBytes?: unknown } | undefined;
  return positiveNumber(layers?.maxUncompressedBytes) ?? DEFAULT_MAX_LAYER_BYTES;
}

export function layerTooLarge(maxBytes: number): EngineError {
  return new EngineError(`layer is larger than ${maxBytes} bytes uncompressed, the most one layer may be (layers.maxUncompressedBytes in the config file)`, 'invalid');
}
