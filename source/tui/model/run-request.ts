// The images pane's run form → the engine's create options and the equivalent `strata run -d …`.
import type { ContainerLimits, CreateOptions } from '../../engine/api.js';
// The CLI's own flag parsers, so `64m` and `0.5` mean in the form what they mean to `strata run`.
// docker's flag parsers, shared with the CLI, so `64m` and `0.5` mean in the form what they mean to `strata run`.
import { parseNanoCpus } from '../../engine/format/cpus.js';
import { parseRamBytes } from '../../engine/format/size.js';
import { shellWords } from '../../engine/format/shell-words.js';

export interface RunForm {
  name: string;
  command: string;
  env: string; // KEY=VALUE, space separated
  memory?: string; // --memory, e.g. 64m
  cpus?: string; // --cpus, e.g. 0.5
}

/** The engine's create options and the equivalent `strata run -d …` words for a filled-in form. */
export function runRequest(image: string, form: RunForm): { options: CreateOptions; words: string[] } {
  const cmd = shellWords(form.command);
  const env = shellWords(form.env);
  for (const e of env) if (!e.includes('=')) throw new Error(`env "${e}" is not KEY=VALUE`);
  const name = form.name.trim();
  const memory = form.memory?.trim() ?? '';
  const cpus = form.cpus?.trim() ?? '';
  const limits: ContainerLimits = { ...(memory ? { memoryBytes: parseRamBytes(memory, '--memory') } : {}), ...(cpus ? { nanoCpus: parseNanoCpus(cpus) } : {}) };
  const options: CreateOptions = { image, ...(name ? { name } : {}), ...(cmd.length ? { cmd } : {}), ...(env.length ? { env } : {}), ...(memory || cpus ? { limits } : {}) };
  const words = ['run', '-d', ...(name ? ['--name', name] : []), ...env.flatMap((e) => ['-e', e]), ...(memory ? ['--memory', memory] : []), ...(cpus ? ['--cpus', cpus] : []), image, ...cmd];
  return { options, words };
}
