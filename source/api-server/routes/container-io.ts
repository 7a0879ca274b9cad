// A container's attached I/O: attach (hijacked: raw for a TTY, stdcopy frames otherwise),
// logs, wait with docker's conditions, resize — and the start that wires an attach made
// before it (docker run attaches to the created container, then starts it).
import type { Duplex } from 'node:stream';
import type { AttachHandle, AttachStreams, ContainerRecord, EngineApi } from '../../engine/api.js';
import { type Call, flag, int, timeParam } from '../call.js';
import { badRequest } from '../errors.js';
import { MULTIPLEXED_STREAM, RAW_STREAM } from '../reply.js';
import type { Routes } from '../router.js';
import type { ServiceState } from '../state.js';
import { compareVersions } from '../router.js';
import { frame, framedWriter } from '../stdcopy.js';
import { DEFAULT_DETACH_KEYS, detachFilter, parseDetachKeys } from '../detach-keys.js';

export function registerContainerIo(r: Routes): void {
  r.on('POST', '/containers/:id/attach', attach);
  r.on('GET', '/containers/:id/attach/ws', attachWebSocket);
  r.on('POST', '/containers/:id/resize', async (call) => {
    const record = await call.engine.inspectContainer(call.params.id);
    const rows = int(call, 'h') ?? 0;
    const cols = int(call, 'w') ?? 0;
    for (const handle of call.state.attached.get(record.id) ?? []) handle.resize(rows, cols);
    if (!record.state.running && !call.state.attached.has(record.id)) throw badRequest(`cannot resize container ${record.id}: container is not running`);
    call.reply.empty(200);
  });
  r.on('GET', '/containers/:id/logs', logs);
  r.on('POST', '/containers/:id/wait', wait);
}

export async function startWithPendingAttach(call: Call, id: string, autoRemove: boolean): Promise<void> {
  const [first, ...others] = call.state.takePendingAttach(id);
  try {
    const handle = await call.engine.startContainer(id, first?.streams);
    if (first && handle) first.connected(handle);
  } catch (err) {
    first?.failed(err as Error);
    for (const pending of others) pending.failed(err as Error);
    if (autoRemove) await call.engine.removeContainer(id, true, true).catch(() => undefined);
    throw err;
  }
  // More clients attached before the start: each joins the running container, or is told why not;
  // the start itself succeeded either way, as dockerd's does.
  for (const pending of others) {
    await call.engine.attachContainer(id, pending.streams).then((handle) => pending.connected(handle), (err: Error) => pending.failed(err));
  }
  if (autoRemove) removeWhenExited(call.engine, call.state, id);
}

/** dockerd removes an AutoRemove container when it exits; here the service that started it does. */
function removeWhenExited(engine: EngineApi, state: ServiceState, id: string): void {
  if (state.autoRemoving.has(id)) return;
  state.autoRemoving.add(id);
  void engine.waitContainer(id)
    .then(async (code) => {
      state.exitCodes.set(id, code);
      setTimeout(() => state.exitCodes.delete(id), 60_000).unref();
      await engine.removeContainer(id, true, true);
    })
    .catch(() => undefined)
    .finally(() => state.autoRemoving.delete(id));
}

async function attach(call: Call): Promise<void> {
  const record = await call.engine.inspectContainer(call.params.id);
  const keys = detachKeysOf(call);
  await attachOn(call, record, call.reply.hijack(record.config.tty ? RAW_STREAM : MULTIPLEXED_STREAM), keys, record.config.tty);
}

// GET /containers/{id}/attach/ws: the same attachment over a websocket, output unframed
// whether or not the container has a TTY (each write one binary message), input from the
// client's messages.
async function attachWebSocket(call: Call): Promise<void> {
  const record = await call.engine.inspectContainer(call.params.id);
  const keys = detachKeysOf(call);
  await attachOn(call, record, await call.reply.webSocket(), keys, true);
}

function detachKeysOf(call: Call): number[] {
  const keysText = call.query.get('detachKeys');
  const keys = keysText ? parseDetachKeys(keysText) : DEFAULT_DETACH_KEYS;
  if (!keys) throw badRequest(`Invalid detach keys (${keysText}) provided`);
  return keys;
}

// `raw`: the output unframed (a TTY's stream, a websocket); otherwise docker's stdcopy frames.
async function attachOn(call: Call, record: ContainerRecord, socket: Duplex, keys: number[], raw: boolean): Promise<void> {
  const tty = raw;
  const wantStdin = flag(call, 'stdin') && record.config.openStdin;
  // logs=1: what the container wrote so far comes first, then the live output
  if (flag(call, 'logs')) {
    for await (const entry of call.engine.readLogs(record.id)) {
      if (flag(call, entry.stream)) socket.write(raw ? entry.line : frame(entry.stream === 'stdout' ? 1 : 2, entry.line));
    }
  }
  const streams: AttachStreams = {
    stdout: framedWriter(socket, 1, tty, flag(call, 'stdout')),
    stderr: framedWriter(socket, 2, tty, flag(call, 'stderr')),
  };
  let detach: () => void = () => { socket.end(); };
  if (wantStdin) {
    streams.stdin = socket.pipe(detachFilter(keys, () => detach()));
  } else socket.resume(); // still read, to see the client hang up
  const size = call.state.consoleSizes.get(record.id);
  if (record.config.tty && size) streams.resize = size;

  const connected = (handle: AttachHandle) => {
    const set = call.state.attached.get(record.id) ?? new Set<AttachHandle>();
    set.add(handle);
    call.state.attached.set(record.id, set);
    const forget = () => {
      set.delete(handle);
      if (set.size === 0) call.state.attached.delete(record.id);
    };
    detach = () => {
      handle.detach();
      socket.end();
    };
    socket.once('close', () => {
      forget();
      handle.detach();
    });
    handle.exited.then(() => endSoon(socket), () => socket.destroy()).finally(forget);
  };
  if (record.state.running) {
    try {
      connected(await call.engine.attachContainer(record.id, streams));
    } catch (err) {
      if (!tty) socket.write(frame(2, `Error: ${(err as Error).message}\n`));
      socket.destroy();
    }
    return;
  }
  let probe: NodeJS.Timeout | undefined;
  const pending = {
    streams,
    connected: (handle: AttachHandle) => { clearInterval(probe); connected(handle); },
    failed: (err: Error) => { clearInterval(probe); if (!tty) socket.write(frame(2, `${err.message}\n`)); endSoon(socket); },
  };
  const list = call.state.pendingAttach.get(record.id) ?? [];
  list.push(pending);
  call.state.pendingAttach.set(record.id, list);
  // Not at 'end': the docker CLI half-closes an attach it sends no input on and still reads. A
  // client that closed outright reads as the same 'end'; only a write tells them apart (EPIPE, then
  // 'close'), and an empty stdcopy frame is one every client skips. A raw (TTY) stream has no such
  // frame: it is dropped at its start.
  if (!tty) socket.once('end', () => { probe = setInterval(() => socket.write(frame(1, '')), 1000).unref(); });
  socket.once('close', () => {
    clearInterval(probe);
    const now = call.state.pendingAttach.get(record.id);
    if (now) call.state.pendingAttach.set(record.id, now.filter((p) => p !== pending));
  });
}

// The client reads until the connection ends: end it once what was written is flushed.
function endSoon(socket: Duplex): void {
  if (!socket.destroyed) socket.end();
}

async function logs(call: Call): Promise<void> {
  const record = await call.engine.inspectContainer(call.params.id);
  const stdout = flag(call, 'stdout');
  const stderr = flag(call, 'stderr');
  if (!stdout && !stderr) throw badRequest('Bad parameters: you must choose at least one stream');
  const tty = record.config.tty;
  const tailText = call.query.get('tail');
  const tail = tailText === null || tailText === '' || tailText === 'all' ? undefined : Number(tailText);
  if (tail !== undefined && !Number.isInteger(tail)) throw badRequest(`invalid value for tail: ${tailText}`);
  const follow = flag(call, 'follow');
  const timestamps = flag(call, 'timestamps');
  const abort = new AbortController();
  const contentType = tty || compareVersions(call.version, '1.42') < 0 ? RAW_STREAM : MULTIPLEXED_STREAM;
  const out = call.reply.stream(200, contentType);
  call.reply.onClose(() => abort.abort());
  try {
    for await (const entry of call.engine.readLogs(record.id, { follow, ...(tail !== undefined && tail >= 0 ? { tail } : {}), since: timeParam(call, 'since'), until: timeParam(call, 'until'), signal: abort.signal })) {
      if (entry.stream === 'stdout' ? !stdout : !stderr) continue;
      const line = timestamps ? `${entry.time} ${entry.line}` : entry.line;
      out.write(tty ? line : frame(entry.stream === 'stdout' ? 1 : 2, line));
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  }
  out.end();
}

// docker's conditions: not-running (now, if it is not), next-exit (the exit after this
// request), removed (gone from the store after it exits)
async function wait(call: Call): Promise<void> {
  const condition = call.query.get('condition') || 'not-running';
  if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw badRequest(`invalid condition: "${condition}"`);
  const first = await call.engine.inspectContainer(call.params.id);
  const out = call.reply.stream(200, 'application/json');
  const abort = new AbortController();
  call.reply.onClose(() => abort.abort());
  const code = await waitFor(call.engine, call.state, first, condition, abort.signal);
  if (code === undefined) return;
  out.end(JSON.stringify({ StatusCode: code, Error: null }) + '\n');
}

async function waitFor(engine: EngineApi, state: ServiceState, first: ContainerRecord, condition: string, signal: AbortSignal): Promise<number | undefined> {
  let code = first.state.exitCode;
  let seenRunning = first.state.running;
  const startedAt = first.state.startedAt;
  for (;;) {
    if (signal.aborted) return undefined;
    let r: ContainerRecord | undefined;
    try {
      r = await engine.inspectContainer(first.id);
    } catch {
      return state.exitCodes.get(first.id) ?? code; // removed
    }
    if (!r.state.running) code = r.state.exitCode;
    if (r.state.running) seenRunning = true;
    const exitedSince = !r.state.running && r.state.status !== 'created' && (seenRunning || r.state.startedAt !== startedAt);
    if (condition === 'not-running' && !r.state.running) return code;
    if (condition === 'next-exit' && exitedSince) return code;
    // removed: after an exit, once something (AutoRemove, docker rm) removed it
    await new Promise((resolve) => setTimeout(resolve, r.state.running ? 100 : 50));
  }
}
