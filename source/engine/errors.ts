// The engine's one error type: every failure the engine reports is an EngineError with a
// docker-like code, which the front ends turn into docker's exit codes.

// Docker's exit codes for failures of strata itself or of the command.
export const EXIT_ENGINE = 125;
export const EXIT_CANNOT_INVOKE = 126;
export const EXIT_NOT_FOUND = 127;

export type EngineErrorCode = 'not-found' | 'conflict' | 'invalid' | 'cannot-invoke' | 'command-not-found' | 'internal';

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: EngineErrorCode = 'internal',
  ) {
    super(message);
    this.name = 'EngineError';
  }

  get exitCode(): number {
    if (this.code === 'cannot-invoke') return EXIT_CANNOT_INVOKE;
    if (this.code === 'command-not-found') return EXIT_NOT_FOUND;
    return EXIT_ENGINE;
  }
}
