// Client side of the shim's attach socket: framed stdin/stdout/stderr/resize/exit.
import net from 'node:net';
import type { AttachHandle, AttachStreams } from '../api.js';
import { encodeFrame, FrameDecoder, FrameType, resizeFrame } from '../runtime/monitor-protocol.js';

export function connectAttach(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socketPath);
    sock.once('connect', () => { sock.off('error', reject); resolve(sock); });
    sock.once('error', reject);
  });
}

export function wireAttach(sock: net.Socket, streams: AttachStreams): AttachHandle {
  const decoder = new FrameDecoder();
  let resolveExit!: (code: number) => void;
  let rejectExit!: (err: Error) => void;
  const exited = new Promise<number>((res, rej) => { resolveExit = res; rejectExit = rej; });
  let gotExit = false;

  sock.on('data', (chunk: Buffer) => {
    for (const { type, payload } of decoder.push(chunk)) {
      if (type === FrameType.stdout) streams.stdout.write(payload);
      else if (type === FrameType.stderr) streams.stderr.write(payload);
      else if (type === FrameType.exit) {
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
    sock.write(encodeFrame(FrameType.stdin, data));
  };
  const onStdinEnd = () => sock.write(encodeFrame(FrameType.closeStdin));
  if (streams.stdin) {
    streams.stdin.on('data', onStdin);
    streams.stdin.on('end', onStdinEnd);
  }
  const resize = (rows: number, cols: number) => { sock.write(resizeFrame(rows, cols)); };
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
