// Failures of strata itself that are not engine errors: bad flags, bad values, misuse.
// Like docker, they exit 125 unless said otherwise.
import { EXIT_ENGINE } from '../engine/api.js';

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_ENGINE, readonly hint?: string) {
    super(message);
    this.name = 'CliError';
  }
}
