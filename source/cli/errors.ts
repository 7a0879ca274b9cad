// Failures of strata itself that are not engine errors: bad flags, bad values, misuse.
// Like docker, they exit 125 unless said otherwise.
import { EXIT_ENGINE } from '../engine/api.js';

// docker's CLI exits 1 when a verb fails; run, create, exec and start keep 125/126/127
export const EXIT_VERB_FAILED = 1;
const VERBS_WITH_DOCKER_STATUS = new Set(['run', 'create', 'exec', 'start']);

/** The exit code of a verb that failed with `err` (bad flags and values stay 125, as docker's). */
export function verbExitCode(verb: string | undefined, err: unknown): number {
  const e = err as { name?: string; exitCode?: number };
  if (e?.name === 'CliError' || e?.name === 'InvalidValueError') return e.exitCode ?? EXIT_ENGINE; // a bad flag value: 125 for every verb
  if (verb !== undefined && !VERBS_WITH_DOCKER_STATUS.has(verb)) return EXIT_VERB_FAILED;
  return e?.name === 'EngineError' ? (e.exitCode ?? EXIT_ENGINE) : EXIT_ENGINE;
}

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_ENGINE, readonly hint?: string) {
    super(message);
    this.name = 'CliError';
  }
}
