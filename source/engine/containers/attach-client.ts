// Client side of the shim's attach socket: framed stdin/stdout/stderr/resize/exit.
import net from 'node:net';
import type { AttachHandle, AttachStreams } from '../api.js';

export const FRAME = { stdin: 0, stdout: 1, stderr: 2, resize: 3, closeStdin: 4, exit: 5 } as const;

export function encodeFrame(type: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

export function connectAttach(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socketPath);
    sock.once('connect', () => { sock.off('error', reject); resolve(sock); });
    sock.once('error', reject);
  });
}

export function wireAttach(sock: net.Socket, streams: AttachStreams): AttachHandle {
  let pending: Buffer = Buffer.alloc(0);
  let resolveExit!: (code: number) => void;
  let rejectExit!: (err: Error) => void;
  const exited = new Promise<number>((res, rej) => { resolveExit = res; rejectExit = rej; });
  let gotExit = false;

  sock.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 5) {
      const len = pending.readUInt32BE(1);
      if (pending.length < 5 + len) break;
      const type = pending[0];
      const payload = pending.subarray(5, 5 + len);
      pending = pending.subarray(5 + len);
      if (type === FRAME.stdout) streams.stdout.write(payload);
      else if (type === FRAME.stderr) streams.stderr.write(payload);
      else if (type === FRAME.exit) {
        gotExit = true;
        resolveExit(Number(payload.toString('ascii')));
      }
    }
  });
  sock.on('close', () => {
    if (!gotExit) rejectExit(new Error('lost the connection to the container monitor before the container exited'));
  });
  sock.on('error', () => { /* 'close' follows */ });

  const onStdin = (data: Buffer | string) => {
    sock.write(encodeFrame(FRAME.stdin, typeof data === 'string' ? Buffer.from(data) : data));
  };
  const onStdinEnd = () => sock.write(encodeFrame(FRAME.closeStdin));
  if (streams.stdin) {
    streams.stdin.on('data', onStdin);
    streams.stdin.on('end', onStdinEnd);
  }
  const resize = (rows: number, cols: number) => {
    const p = Buffer.alloc(4);
    p.writeUInt16BE(rows, 0);
    p.writeUInt16BE(cols, 2);
    sock.write(encodeFrame(FRAME.resize, p));
  };
  if (streams.resize) resize(streams.resize.rows, streams.resize.cols);

  const detach = () => {
    if (streams.stdin) {
      streams.stdin.off('data', onStdin);
      streams.stdin.off('end', onStdinEnd);
    }
    sock.end();
  };
  exited.finally(() => {
    if (streams.stdin) {
      streams.stdin.off('data', onStdin);
      streams.stdin.off('end', onStdinEnd);
    }
  }).catch(() => {});
  return { resize, closeStdin: onStdinEnd, detach, exited };
}
