// Errors as docker's API reports them: a status code and {"message": "…"}. The engine's codes
// map onto docker's (not-found 404, conflict 409, invalid 400, the rest 500).
import { EngineError } from '../engine/api.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);

const STATUS_OF: Record<string, number> = { 'not-found': 404, conflict: 409, invalid: 400, 'cannot-invoke': 500, 'command-not-found': 500, internal: 500 };

export function statusOf(err: unknown): { status: number; message: string } {
  if (err instanceof ApiError) return { status: err.status, message: err.message };
  if (err instanceof EngineError || (err as Error | undefined)?.name === 'EngineError') {
    return { status: STATUS_OF[(err as EngineError).code] ?? 500, message: (err as Error).message };
  }
  return { status: 500, message: (err as Error)?.message ?? String(err) };
}
