// RUN: the command runs in a container of the step's parent image, with the step's environment
// (the image's Env plus the ARGs in scope), working directory and user, on the default bridge
// network as docker's builder does (--network none|host|NAME otherwise); its output is streamed
// out as events while it runs, and its upper dir becomes the step's layer.
import { Writable } from 'node:stream';
import type { MountRequest } from '../api.js';
import { EngineError } from '../errors.js';
import type { BuildHost } from './host.js';
import { BUILD_STEP_LABEL } from '../containers/build-steps.js';

export interface RunStepInput {
  parentId: string;
  argv: string[];
  env: string[]; // added to the image's
  workdir?: string;
  user?: string;
  network?: string;
  extraHosts?: string[];
  mounts?: MountRequest[]; // heredoc scripts, secrets: bound in, never part of the layer
  onStart: (containerId: string) => void;
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
}

const TAIL_BYTES = 4096;

/** Runs the command; resolves with the container (for its upper dir), exit code and the output's tail. The caller removes the container. */
export async function runCommand(engine: BuildHost, input: RunStepInput): Promise<{ containerId: string; exitCode: number; tail: string }> {
  const record = await engine.createContainer({
    image: input.parentId,
    cmd: input.argv,
    entrypoint: [],
    env: input.env,
    workdir: input.workdir || undefined,
    user: input.user || undefined,
    network: input.network ?? 'bridge',
    mounts: input.mounts,
    extraHosts: input.extraHosts,
    // whose step it is: if this process dies mid-step, the next strata process removes it
    labels: { [BUILD_STEP_LABEL]: String(process.pid) },
  });
  input.onStart(record.id);
  let tail = '';
  const sink = (stream: 'stdout' | 'stderr') => new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-TAIL_BYTES);
      input.onOutput(stream, text);
      done();
    },
  });
  try {
    const handle = await engine.startContainer(record.id, { stdout: sink('stdout'), stderr: sink('stderr') });
    const exitCode = handle ? await handle.exited : await engine.waitContainer(record.id);
    await engine.waitContainer(record.id);
    return { containerId: record.id, exitCode, tail };
  } catch (err) {
    await engine.removeContainer(record.id, true).catch(() => {});
    if (err instanceof EngineError && (err.code === 'command-not-found' || err.code === 'cannot-invoke')) {
      return { containerId: '', exitCode: err.exitCode, tail: `${tail}${err.message}\n` };
    }
    throw err;
  }
}
