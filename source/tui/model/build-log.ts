// A build's progress as plain data, folded from the engine's BuildEvents: one row per step
// (cached, running or done, with its time), the RUN output lines, and how it ended.
import type { BuildEvent } from '../../engine/api.js';

export interface BuildStepRow {
  step: number;
  total: number;
  text: string;
  state: 'running' | 'cached' | 'done' | 'failed';
  startedAt: number;
  ms?: number;
  output: string[]; // complete lines of the step's RUN output (the last OUTPUT_KEPT)
  partial: string; // output after the last newline
}

export interface BuildLog {
  title: string; // what was built: `context (tag)`
  origin?: string; // who runs it when not this TUI: "pid 123", another strata process
  buildId?: string; // the journal's id of a build another process runs
  steps: BuildStepRow[];
  warnings: string[];
  startedAt: number;
  endedAt?: number;
  result?: { imageId: string; tags: string[]; ms: number };
  failure?: { step?: number; exitCode?: number; message: string };
}

const OUTPUT_KEPT = 200;
const TAB = 8;

/** A line as a terminal shows it: a carriage return writes over from the start, escapes and controls dropped. */
export function overwriteLine(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = raw.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g, '');
  let shown = '';
  for (const part of clean.split('\r')) {
    let text = '';
    // eslint-disable-next-line no-control-regex
    for (const ch of part.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')) text += ch === '\t' ? ' '.repeat(TAB - (text.length % TAB)) : ch;
    shown = text + shown.slice(text.length);
  }
  return shown;
}

/** The unfinished line kept short: what it shows, and a carriage return still to apply. */
function compactPartial(raw: string): string {
  if (!raw.includes('\r')) return raw;
  return overwriteLine(raw) + (raw.endsWith('\r') ? '\r' : '');
}

export function newBuildLog(title: string, now = Date.now()): BuildLog {
  return { title, steps: [], warnings: [], startedAt: now };
}

/** The log after one event (a new object; rows that changed are copied). */
export function applyBuildEvent(log: BuildLog, event: BuildEvent, now = Date.now()): BuildLog {
  const steps = log.steps;
  const withLast = (change: (row: BuildStepRow) => BuildStepRow): BuildLog =>
    (steps.length ? { ...log, steps: [...steps.slice(0, -1), change(steps[steps.length - 1])] } : log);
  switch (event.type) {
    case 'step':
      return { ...log, steps: [...steps, { step: event.step, total: event.total, text: event.text, state: 'running', startedAt: now, output: [], partial: '' }] };
    case 'cached':
      return withLast((row) => ({ ...row, state: 'cached' }));
    case 'running':
      return log;
    case 'output':
      return withLast((row) => {
        const parts = (row.partial + event.text).replace(/\r+\n/g, '\n').split('\n');
        const partial = compactPartial(parts.pop()!);
        return { ...row, partial, output: [...row.output, ...parts.map(overwriteLine)].slice(-OUTPUT_KEPT) };
      });
    case 'step-done':
      // a cache hit was announced by its 'cached' event; step-done's flag is also set for a FROM, which hit no cache
      return withLast((row) => ({ ...row, ms: event.ms, state: row.state === 'cached' ? 'cached' : 'done' }));
    case 'warning':
      return { ...log, warnings: [...log.warnings, event.message] };
    case 'done':
      return { ...log, result: { imageId: event.imageId, tags: event.tags, ms: event.ms } };
  }
}

/** The log after the build threw: the running step (if any) is marked as the failing one. */
export function failBuild(log: BuildLog, error: { message: string; step?: number; commandExitCode?: number }, now = Date.now()): BuildLog {
  const step = error.step ?? log.steps.find((r) => r.state === 'running')?.step;
  return {
    ...log,
    endedAt: now,
    steps: log.steps.map((r) => (r.step === step ? { ...r, state: 'failed' } : r)),
    failure: { step, exitCode: error.commandExitCode, message: error.message.split('\n')[0] },
  };
}

/** The screen lines of a log: steps, each followed by its output lines, then the ending. */
export function buildLines(log: BuildLog, now: number): Array<{ text: string; kind: 'step' | 'cached' | 'output' | 'ok' | 'error' | 'warning' | 'title' }> {
  const lines: ReturnType<typeof buildLines> = [];
  const done = log.steps.filter((r) => r.state === 'done' || r.state === 'cached').length;
  const total = log.steps[0]?.total ?? 0;
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  const running = !log.result && !log.failure;
  const verb = running ? 'Building' : log.failure ? 'Build failed:' : 'Built';
  lines.push({ kind: log.failure ? 'error' : 'title', text: `${verb} ${log.title}  ${secs(log.result?.ms ?? (log.endedAt ?? now) - log.startedAt)}  (${done}/${total})${log.origin ? `  by ${log.origin}` : ''}` });
  for (const row of log.steps) {
    const state = row.state === 'cached' ? 'CACHED' : row.state === 'running' ? 'running' : row.state === 'failed' ? 'FAILED' : 'done';
    const time = row.ms !== undefined ? secs(row.ms) : row.state === 'running' ? secs(now - row.startedAt) : '';
    lines.push({ kind: row.state === 'cached' ? 'cached' : row.state === 'failed' ? 'error' : 'step', text: `Step ${row.step}/${row.total} : ${row.text.replace(/\s+/g, ' ')}  [${state}${time ? ` ${time}` : ''}]` });
    const partial = row.partial ? overwriteLine(row.partial) : '';
    for (const out of partial ? [...row.output, partial] : row.output) lines.push({ kind: 'output', text: `  │ ${out}` });
  }
  for (const w of log.warnings) lines.push({ kind: 'warning', text: w });
  if (log.result) {
    lines.push({ kind: 'ok', text: `Successfully built ${log.result.imageId.replace(/^sha256:/, '').slice(0, 12)}` });
    for (const tag of log.result.tags) lines.push({ kind: 'ok', text: `Successfully tagged ${tag}` });
  }
  if (log.failure) {
    const where = log.failure.step !== undefined ? `step ${log.failure.step} failed` : 'build failed';
    lines.push({ kind: 'error', text: `${where}${log.failure.exitCode !== undefined ? ` (exit code ${log.failure.exitCode})` : ''}: ${log.failure.message}` });
  }
  return lines;
}
