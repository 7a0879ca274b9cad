// Makes a running container print lines into its own log, on cue: an exec writes them to the
// container init's stdout or stderr, which the shim records like anything the init prints.
import type { EngineApi } from '../../source/engine/api.js';

export async function say(engine: EngineApi, ref: string, lines: string[], stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
  const fd = stream === 'stdout' ? 1 : 2;
  await sayScript(engine, ref, `printf '%s\\n' "$@" >/proc/1/fd/${fd}`, lines);
}

/** Runs `script` (sh) in the container with `args`; for output made inside, like `seq`. */
export async function sayScript(engine: EngineApi, ref: string, script: string, args: string[] = []): Promise<void> {
  const { handle, child } = await engine.exec(ref, { cmd: ['sh', '-c', script, 'sh', ...args] }, 'pipe');
  child.stdin?.end();
  child.stdout?.resume();
  child.stderr?.resume();
  const code = await handle.exited;
  if (code !== 0) throw new Error(`exec in ${ref} exited ${code}`);
}
