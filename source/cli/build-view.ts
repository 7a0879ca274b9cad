// How build progress looks. Plain: docker's classic builder lines, output passed through as it
// comes. Live (a terminal): one line per step with its state and time, the running step's last
// few output lines under it, redrawn in place at most every 100 ms.
import type { BuildEvent } from '../engine/api.js';
import { withDefaultTag } from '../engine/format/image-ref.js';

export interface BuildView {
  event: (e: BuildEvent) => void;
  close: () => void;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
// docker prints the tag it wrote: `app` is app:latest

export function plainBuildView(out: NodeJS.WritableStream): BuildView {
  let midLine = false;
  const write = (text: string) => {
    if (text === '') return;
    out.write(text);
    midLine = !text.endsWith('\n');
  };
  const line = (text: string) => write(`${midLine ? '\n' : ''}${text}\n`);
  let running: string | undefined;
  return {
    event(e) {
      switch (e.type) {
        case 'step': line(`Step ${e.step}/${e.total} : ${e.text}`); break;
        case 'cached': line(' ---> Using cache'); break;
        case 'running': running = e.containerId; line(` ---> Running in ${short(e.containerId)}`); break;
        case 'output': write(e.text); break;
        case 'step-done':
          if (running) line(`Removing intermediate container ${short(running)}`);
          running = undefined;
          line(` ---> ${e.imageId === 'scratch' ? 'scratch' : short(e.imageId)}`);
          break;
        case 'warning': line(e.message); break;
        case 'done':
          line(`Successfully built ${short(e.imageId)}`);
          for (const tag of e.tags) line(`Successfully tagged ${withDefaultTag(tag)}`);
          break;
      }
    },
    close() { if (midLine) out.write('\n'); },
  };
}

interface StepRow { step: number; total: number; text: string; state: 'running' | 'cached' | 'done'; started: number; ms?: number; output: string[]; partial: string }

const OUTPUT_LINES = 6;

export function liveBuildView(out: NodeJS.WriteStream): BuildView {
  const rows: StepRow[] = [];
  const started = Date.now();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let warnings: string[] = [];
  const width = () => Math.max(40, (out.columns ?? 100) - 1);
  const clip = (s: string) => (s.length > width() ? `${s.slice(0, width() - 1)}…` : s);
  const render = () => {
    timer = undefined;
    const now = Date.now();
    const done = rows.filter((r) => r.state !== 'running').length;
    const lines = [`[+] Building ${((now - started) / 1000).toFixed(1)}s (${done}/${rows[0]?.total ?? 0})`];
    for (const r of rows) {
      const secs = ((r.ms ?? now - r.started) / 1000).toFixed(1);
      const mark = r.state === 'cached' ? 'CACHED ' : '';
      lines.push(clip(` => ${mark}[${r.step}/${r.total}] ${r.text.replace(/\s+/g, ' ')}`.padEnd(Math.min(width() - 6, 70)) + ` ${secs}s`));
      if (r.state === 'running') for (const o of [...r.output, ...(r.partial ? [r.partial] : [])].slice(-OUTPUT_LINES)) lines.push(clip(` => => ${o}`));
    }
    lines.push(...warnings);
    out.write(`${drawn > 0 ? `\x1b[${drawn}F` : ''}${lines.map((l) => `${l}\x1b[K`).join('\n')}\n\x1b[J`);
    drawn = lines.length;
  };
  const schedule = () => { timer ??= setTimeout(render, 100); };
  const current = () => rows[rows.length - 1];
  return {
    event(e) {
      if (e.type === 'step') rows.push({ step: e.step, total: e.total, text: e.text, state: 'running', started: Date.now(), output: [], partial: '' });
      else if (e.type === 'cached') current().state = 'cached';
      else if (e.type === 'output') {
        const row = current();
        const parts = (row.partial + e.text).split('\n');
        row.partial = parts.pop()!;
        row.output = [...row.output, ...parts].slice(-OUTPUT_LINES);
      } else if (e.type === 'step-done') {
        const row = current();
        row.ms = e.ms;
        if (row.state === 'running') row.state = 'done';
      } else if (e.type === 'warning') warnings = [...warnings, e.message];
      else if (e.type === 'done') {
        if (timer) clearTimeout(timer);
        render();
        out.write(`Successfully built ${short(e.imageId)}\n${e.tags.map((t) => `Successfully tagged ${withDefaultTag(t)}\n`).join('')}`);
        drawn = 0;
        return;
      }
      schedule();
    },
    close() {
      if (timer) {
        clearTimeout(timer);
        render();
      }
    },
  };
}
