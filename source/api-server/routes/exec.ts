// /containers/{id}/exec and /exec/{id}: an exec instance is made by create and run by start,
// hijacked like attach (a pty through node-pty for Tty, pipes and stdcopy frames otherwise).
import crypto from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ExecOptions } from '../../engine/api.js';
import { type Call, int, jsonBody } from '../call.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { MULTIPLEXED_STREAM, RAW_STREAM } from '../reply.js';
import type { Routes } from '../router.js';
import type { ExecInstance } from '../state.js';
import { frame } from '../stdcopy.js';

interface ExecCreateBody {
  AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; DetachKeys?: string; Tty?: boolean;
  ConsoleSize?: [number, number] | null; Env?: string[] | null; Cmd?: string[] | null; Privileged?: boolean; User?: string; WorkingDir?: string;
}

export function registerExec(r: Routes): void {
  r.on('POST', '/containers/:id/exec', async (call) => {
    const body = await jsonBody<ExecCreateBody>(call);
    const record = await call.engine.inspectContainer(call.params.id);
    if (!record.state.running) throw conflict(`container ${record.id} is not running`);
    if (record.state.paused) throw conflict(`container ${record.id} is paused, unpause the container before exec`);
    if (!body.Cmd?.length) throw badRequest('No exec command specified');
    const options: ExecOptions = { cmd: body.Cmd, tty: !!body.Tty, interactive: !!body.AttachStdin, privileged: !!body.Privileged };
    if (body.Env?.length) options.env = body.Env;
    if (body.User) options.user = body.User;
    if (body.WorkingDir) options.workdir = body.WorkingDir;
    const id = crypto.randomBytes(32).toString('hex');
    const exec: ExecInstance = {
      id, container: record.id, options, attachStdin: !!body.AttachStdin, attachStdout: body.AttachStdout !== false, attachStderr: body.AttachStderr !== false,
      running: false, exitCode: null, pid: 0,
    };
    if (body.ConsoleSize && body.ConsoleSize[0] > 0) exec.initialSize = { rows: body.ConsoleSize[0], cols: body.ConsoleSize[1] };
    if (body.DetachKeys) exec.detachKeys = body.DetachKeys;
    call.state.execs.set(id, exec);
    call.reply.json(201, { Id: id });
  });
  r.on('POST', '/exec/:id/start', start);
  r.on('POST', '/exec/:id/resize', async (call) => {
    const exec = find(call);
    exec.resize?.(int(call, 'h') ?? 24, int(call, 'w') ?? 80);
    call.reply.empty(200);
  });
  r.on('GET', '/exec/:id/json', async (call) => {
    const e = find(call);
    return {
      CanRemove: false, ContainerID: e.container, DetachKeys: e.detachKeys ?? '', ExitCode: e.exitCode, ID: e.id,
      OpenStderr: e.attachStderr, OpenStdin: e.attachStdin, OpenStdout: e.attachStdout, Running: e.running, Pid: e.pid,
      ProcessConfig: { tty: !!e.options.tty, entrypoint: e.options.cmd[0], arguments: e.options.cmd.slice(1), privileged: !!e.options.privileged, user: e.options.user ?? '' },
    };
  });
}

function find(call: Call): ExecInstance {
  const exec = call.state.execs.get(call.params.id);
  if (!exec) throw notFound(`No such exec instance: ${call.params.id}`);
  return exec;
}

async function start(call: Call): Promise<void> {
  const exec = find(call);
  const body = await jsonBody<{ Detach?: boolean; Tty?: boolean; ConsoleSize?: [number, number] | null }>(call);
  if (exec.running || exec.exitCode !== null) throw conflict(`exec ${exec.id} has already been started`);
  if (body.ConsoleSize && body.ConsoleSize[0] > 0) exec.initialSize = { rows: body.ConsoleSize[0], cols: body.ConsoleSize[1] };
  exec.running = true;
  if (body.Detach) {
    const { handle, child } = await call.engine.exec(exec.container, { ...exec.options, tty: false, interactive: false }, 'pipe').catch(failed(exec));
    child.stdin?.end();
    child.stdout?.resume();
    child.stderr?.resume();
    track(call, exec, handle.pid, handle.exited);
    return call.reply.empty(200);
  }
  if (exec.options.tty) return startWithPty(call, exec);
  const { handle, child } = await call.engine.exec(exec.container, exec.options, 'pipe').catch(failed(exec));
  const socket = call.reply.hijack(MULTIPLEXED_STREAM);
  track(call, exec, handle.pid, handle.exited);
  const pipes = [child.stdout!, child.stderr!].map((from, i) => new Promise<void>((resolve) => {
    from.on('data', (chunk: Buffer) => { if (socket.writable && (i === 0 ? exec.attachStdout : exec.attachStderr)) socket.write(frame(i === 0 ? 1 : 2, chunk)); });
    from.once('close', resolve);
  }));
  if (exec.attachStdin) {
    socket.pipe(child.stdin!);
    child.stdin!.on('error', () => undefined);
  } else {
    child.stdin!.end();
    socket.resume();
  }
  socket.once('close', () => { if (exec.running) handle.kill('SIGKILL'); });
  await handle.exited.catch(() => undefined);
  await Promise.all(pipes);
  endSocket(socket);
}

async function startWithPty(call: Call, exec: ExecInstance): Promise<void> {
  const pty = await import('node-pty');
  const { shim, args } = await call.engine.execSpecPath(exec.container, exec.options).catch(failed(exec));
  const size = exec.initialSize ?? { rows: 24, cols: 80 };
  const child = pty.spawn(shim, args, { name: 'xterm', cols: size.cols, rows: size.rows, env: {} });
  const socket = call.reply.hijack(RAW_STREAM);
  exec.resize = (rows, cols) => { if (exec.running && rows > 0 && cols > 0) child.resize(cols, rows); };
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
  track(call, exec, child.pid, exited);
  child.onData((data) => { if (socket.writable) socket.write(data); });
  if (exec.attachStdin) socket.on('data', (data: Buffer) => child.write(data.toString('utf8')));
  else socket.resume();
  socket.once('close', () => { if (exec.running) child.kill('SIGKILL'); });
  await exited;
  endSocket(socket);
}

function track(call: Call, exec: ExecInstance, pid: number, exited: Promise<number>): void {
  exec.pid = pid;
  exited.then((code) => { exec.exitCode = code; }, () => { exec.exitCode = 126; }).finally(() => {
    exec.running = false;
    exec.resize = undefined;
    // docker keeps a finished exec for inspection; here for a while, not forever
    setTimeout(() => call.state.execs.delete(exec.id), 10 * 60_000).unref();
  });
}

function failed(exec: ExecInstance) {
  return (err: unknown): never => {
    exec.running = false;
    throw err;
  };
}

function endSocket(socket: Duplex): void {
  if (!socket.destroyed) socket.end();
}
