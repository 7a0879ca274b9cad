// The monitor's wire formats, both ends' one copy (native/CONTRACT.md): the spec `strata-shim`
// reads, the status lines on its fd 3, the exit and pid files it writes, the attach socket's frames.
// No addon and no file access here: `ps` loads this module too.

// ---- spec files -------------------------------------------------------------------------

export type SpecEntries = Array<[string, string]>;

/** Renders spec entries: `key value\n`, with `\\`, `\n` and `\t` escaped in values. */
export function writeSpec(entries: SpecEntries): string {
  let out = '';
  for (const [key, value] of entries) {
    if (!/^[a-z_]+$/.test(key)) throw new Error(`invalid spec key ${JSON.stringify(key)}`);
    out += `${key} ${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}\n`;
  }
  return out;
}

// ---- status lines (fd 3 of `strata-shim run`) -------------------------------------------

export type ShimStatusLine =
  | { kind: 'attach-ready' }
  | { kind: 'started'; pid: number }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'exit'; code: number }
  | { kind: 'restarting'; count: number; code: number };

export function parseStatusLine(line: string): ShimStatusLine | undefined {
  if (line === 'attach-ready') return { kind: 'attach-ready' };
  let m = /^started (\d+)$/.exec(line);
  if (m) return { kind: 'started', pid: Number(m[1]) };
  m = /^error (\d+) ?(.*)$/.exec(line);
  if (m) return { kind: 'error', code: Number(m[1]), message: m[2] };
  m = /^exit (\d+)$/.exec(line);
  if (m) return { kind: 'exit', code: Number(m[1]) };
  m = /^restarting (\d+) (\d+)$/.exec(line);
  if (m) return { kind: 'restarting', count: Number(m[1]), code: Number(m[2]) };
  return undefined;
}

// ---- exit file ----------------------------------------------------------------------------

export interface ExitFile {
  exitCode: number;
  signal: number;
  oomKilled: boolean;
  finishedAt: string;
  error: string;
}

export function parseExitFile(text: string): ExitFile {
  const v = JSON.parse(text) as Partial<ExitFile>;
  if (typeof v.exitCode !== 'number' || typeof v.finishedAt !== 'string') throw new Error('malformed exit file');
  return {
    exitCode: v.exitCode,
    signal: typeof v.signal === 'number' ? v.signal : 0,
    oomKilled: v.oomKilled === true,
    finishedAt: v.finishedAt,
    error: typeof v.error === 'string' ? v.error : '',
  };
}

// ---- pid file -------------------------------------------------------------------------------

export interface PidFile {
  shimPid: number;
  initPid: number;
}

/** The pid file: `SHIMPID INITPID`, both above 0. */
export function parsePidFile(text: string): PidFile {
  const m = /^(\d+) (\d+)\s*$/.exec(text);
  const pids = m && { shimPid: Number(m[1]), initPid: Number(m[2]) };
  if (!pids || pids.shimPid <= 0 || pids.initPid <= 0) throw new Error('malformed pid file');
  return pids;
}

// ---- restart and health files -------------------------------------------------------------

/** The monitor's restart file: restarts so far, and whether it is waiting out a back-off. */
export interface RestartFile {
  restartCount: number;
  restarting: boolean;
}

export function parseRestartFile(text: string): RestartFile {
  const v = JSON.parse(text) as Partial<RestartFile>;
  if (typeof v.restartCount !== 'number') throw new Error('malformed restart file');
  return { restartCount: v.restartCount, restarting: v.restarting === true };
}

/** The monitor's health file: docker's State.Health as the monitor keeps it. */
export interface HealthFile {
  status: 'starting' | 'healthy' | 'unhealthy';
  failingStreak: number;
  log: Array<{ start: string; end: string; exitCode: number; output: string }>;
}

export function parseHealthFile(text: string): HealthFile {
  const v = JSON.parse(text) as Partial<HealthFile>;
  if (v.status !== 'starting' && v.status !== 'healthy' && v.status !== 'unhealthy') throw new Error('malformed health file');
  return { status: v.status, failingStreak: Number(v.failingStreak) || 0, log: Array.isArray(v.log) ? v.log : [] };
}

// ---- attach socket frames -------------------------------------------------------------------

export const FrameType = { stdin: 0, stdout: 1, stderr: 2, resize: 3, closeStdin: 4, exit: 5 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export interface Frame {
  type: FrameType;
  payload: Buffer;
}

export function encodeFrame(type: FrameType, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(5);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

export function resizeFrame(rows: number, cols: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt16BE(rows, 0);
  p.writeUInt16BE(cols, 2);
  return encodeFrame(FrameType.resize, p);
}

/** Feeds socket chunks in, hands complete frames out. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 5) {
      const len = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + len) break;
      frames.push({ type: this.pending[0] as FrameType, payload: this.pending.subarray(5, 5 + len) });
      this.pending = this.pending.subarray(5 + len);
    }
    return frames;
  }
}
