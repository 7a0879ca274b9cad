// What the service keeps between requests — only connection state, never records: attach
// streams a client wired to a created container before starting it (docker run's order:
// attach, wait, start), and exec instances between create and start.
import type { AttachHandle, AttachStreams, ExecOptions } from '../engine/api.js';

export interface PendingAttach {
  streams: AttachStreams;
  connected(handle: AttachHandle): void; // the start wired it
  failed(err: Error): void;
}

export interface ExecInstance {
  id: string;
  container: string; // full id
  options: ExecOptions;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  detachKeys?: string;
  running: boolean;
  exitCode: number | null;
  pid: number;
  resize?: (rows: number, cols: number) => void;
  initialSize?: { rows: number; cols: number };
}

export class ServiceState {
  readonly pendingAttach = new Map<string, PendingAttach[]>();
  readonly execs = new Map<string, ExecInstance>();
  // live attachments by container id: a resize reaches them
  readonly attached = new Map<string, Set<AttachHandle>>();
  // HostConfig.ConsoleSize [rows, cols] of containers created here: a TTY's first size
  readonly consoleSizes = new Map<string, { rows: number; cols: number }>();
  // containers started here with AutoRemove: removed once they exit (dockerd's job)
  readonly autoRemoving = new Set<string>();
  // their exit codes, for a wait?condition=removed that asks after the record is gone
  readonly exitCodes = new Map<string, number>();

  takePendingAttach(id: string): PendingAttach[] {
    const list = this.pendingAttach.get(id) ?? [];
    this.pendingAttach.delete(id);
    return list;
  }
}
