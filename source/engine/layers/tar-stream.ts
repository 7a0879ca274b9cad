// tar-stream (CommonJS, with its dependencies) costs ~10 ms to load: loaded on first use so that
// verbs which never read or write a tar (`strata ps`) do not pay for it.
import { createRequire } from 'node:module';

type TarStream = typeof import('tar-stream');

const require = createRequire(import.meta.url);
let loaded: TarStream | undefined;

export function tarStream(): TarStream {
  return (loaded ??= require('tar-stream') as TarStream);
}
