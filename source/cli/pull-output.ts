// docker's lines around a pull or push: "latest: Pulling from library/x", one line per layer
// (bars on a terminal), then "Digest: …" and "Status: …". `pull` prints them on stdout; `run` and
// `create` of a missing image print the same on stderr, as docker does.
import type { EngineApi, EngineEvent, PullResult } from '../engine/api.js';
import { ProgressView } from './format/progress.js';

/** Shows the engine's progress events on out while fn runs; beforeFirst runs before the first of them. */
export async function withProgress<T>(engine: EngineApi, out: NodeJS.WriteStream, quiet: boolean, fn: () => Promise<T>, beforeFirst?: () => void): Promise<T> {
  const view = new ProgressView(out, Boolean(out.isTTY));
  const off = quiet ? () => {} : engine.on((e: EngineEvent) => {
    if (e.type !== 'progress') return;
    beforeFirst?.();
    beforeFirst = undefined;
    view.update(e.id, e.action, e.current, e.total);
  });
  try {
    return await fn();
  } finally {
    off();
    view.finish();
  }
}

/** A pull with docker's lines on out (none when quiet). */
export async function pullShowingProgress(engine: EngineApi, ref: string, out: NodeJS.WriteStream, options: { quiet?: boolean; platform?: string } = {}): Promise<PullResult> {
  const quiet = Boolean(options.quiet);
  // docker says it once the manifest is there (its layers' lines follow): not for a pull that fails to find it
  let announced = false;
  const announce = () => {
    if (!announced) out.write(`${pullingLine(ref)}\n`);
    announced = true;
  };
  const result = await withProgress(engine, out, quiet, () => engine.pullImage(ref, { platform: options.platform }), announce);
  if (!quiet) {
    announce();
    out.write(`Digest: ${result.digest}\n`);
    out.write(`Status: ${result.status === 'downloaded' ? 'Downloaded newer image' : 'Image is up to date'} for ${result.reference}\n`);
  }
  return result;
}

// "1.2: Pulling from team/app", as docker starts a pull
function pullingLine(ref: string): string {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const tag = at >= 0 ? ref.slice(at + 1) : hasTag ? name.slice(colon + 1) : 'latest';
  const repo = hasTag ? name.slice(0, colon) : name;
  const parts = repo.split('/');
  const path = parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost') ? parts.slice(1).join('/') : repo.includes('/') ? repo : `library/${repo}`;
  return `${tag}: Pulling from ${path}`;
}
