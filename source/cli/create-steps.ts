// What create and run do around the engine's create: the image made present as --pull asks
// (docker's pull lines on stderr), --cidfile refused when it exists and written once the
// container is.
import fs from 'node:fs';
import type { EngineApi } from '../engine/api.js';
import { withDefaultTag } from '../engine/format/image-ref.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { pullShowingProgress } from './pull-output.js';
import type { PullPolicy } from './run-values.js';

// docker names the image as reference.FamiliarString(TagNameOnly(ref)): "busybox:latest"
function familiarTagged(ref: string): string {
  return withDefaultTag(ref.replace(/^docker\.io\/(library\/)?/, ''));
}

/** docker's --pull: `missing` (the default) pulls an image the store lacks, `always` pulls anyway, `never` never. */
export async function ensureImage(engine: EngineApi, ref: string, policy: PullPolicy, ctx: CliContext, platform?: string): Promise<void> {
  if (policy === 'never') return; // the engine says "No such image" if it is missing
  if (policy === 'missing') {
    const present = await engine.inspectImage(ref).then(() => true, (err: { code?: string }) => {
      if (err.code === 'not-found') return false;
      throw err;
    });
    if (present) return;
    ctx.stderr.write(`Unable to find image '${familiarTagged(ref)}' locally\n`);
  }
  await pullShowingProgress(engine, ref, ctx.stderr, { platform });
}

export function refuseExistingCidfile(file: string | undefined): void {
  if (file && fs.existsSync(file)) throw new CliError(`Container ID file found, make sure the other container isn't running or delete ${file}`);
}

export function writeCidfile(file: string, id: string): void {
  try {
    fs.writeFileSync(file, id, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    throw new CliError(`failed to write the container ID to the file: ${(err as Error).message}`);
  }
}
