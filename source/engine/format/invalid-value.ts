// The error of a value given to a flag or a form field, worded as docker's flag errors are.
export class InvalidValueError extends Error {
  readonly exitCode = 125; // docker's exit status for a bad flag
  constructor(message: string) {
    super(message);
    this.name = 'InvalidValueError';
  }
}

export function invalidValue(flag: string, raw: string, why: string): InvalidValueError {
  return new InvalidValueError(`invalid argument "${raw}" for "${flag}" flag: ${why}`);
}
