// ADD <url>: the response streamed into a temp file in the store (never whole in memory), hashed
// on the way for the step cache, bounded by the config file's "build": {"maxAddUrlBytes": N}
// (10 GiB by default; docker has no bound) and by the registry client's connect and idle
// timeouts. Whatever fails, the temp file goes (named as a temp blob: a crash leaves it to the sweep).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { EngineError } from '../errors.js';
import { httpRequest } from '../registry/http.js';
import { defaultRegistrySettings } from '../registry/settings.js';
import { positiveNumber, readConfigFile } from '../store/config-file.js';

export const DEFAULT_MAX_ADD_URL_BYTES = 10 * 1024 ** 3;

export interface DownloadedUrl {
  kind: 'url';
  url: string;
  file: string; // the bytes, in the store's tmp dir until the step is done
  digest: string;
  modified?: Date;
}

export function configuredMaxAddUrlBytes(env: NodeJS.ProcessEnv = process.env): number {
  const build = readConfigFile(env).build as { maxAddUrlBytes?: unknown } | undefined;
  return positiveNumber(build?.maxAddUrlBytes) ?? DEFAULT_MAX_ADD_URL_BYTES;
}

export async function downloadUrl(url: string, tmpDir: string, fail: (why: string) => EngineError): Promise<DownloadedUrl> {
  const maxBytes = configuredMaxAddUrlBytes();
  const tooLarge = () => fail(`cannot download ${url}: larger than ${maxBytes} bytes, the most ADD takes from a URL (build.maxAddUrlBytes in the config file)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail(`invalid URL ${url}`);
  }
  const file = path.join(tmpDir, `tmp-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  try {
    const res = await httpRequest(parsed, { timeouts: defaultRegistrySettings().timeouts, peer: 'the server' }).catch((err: Error) => {
      throw fail(`cannot download ${url}: ${err.message}`);
    });
    if (res.status < 200 || res.status > 299) {
      res.body.destroy();
      throw fail(`cannot download ${url}: HTTP ${res.status} ${res.body.statusMessage ?? ''}`.trimEnd());
    }
    if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
      res.body.destroy();
      throw tooLarge();
    }
    const hash = crypto.createHash('sha256');
    let size = 0;
    let cut: EngineError | undefined;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(cut = tooLarge());
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(res.body, counted, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 })).catch((err: Error) => {
      throw cut ?? fail(`cannot download ${url}: ${err.message}`);
    });
    const lastModified = res.headers['last-modified'];
    const modified = lastModified ? new Date(lastModified) : undefined;
    return { kind: 'url', url, file, digest: `sha256:${hash.digest('hex')}`, modified: modified && !Number.isNaN(modified.getTime()) ? modified : undefined };
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}
