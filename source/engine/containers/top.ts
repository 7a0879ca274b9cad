// `top`: the container's processes read from /proc, in ps -ef's columns; or, given ps options,
// the host's ps run with them and cut down to the container's processes (as dockerd does).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { ProcessRow } from '../api.js';
import { EngineError } from '../errors.js';

const CLOCK_TICKS = 100; // USER_HZ on Linux
const bootTimeSec = (() => {
  const m = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
  return m ? Number(m[1]) : 0;
})();

function userName(uid: number): string {
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (Number(f[2]) === uid) return f[0];
    }
  } catch { /* numeric */ }
  return String(uid);
}

function ttyName(ttyNr: number): string {
  if (!ttyNr) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major === 136) return `pts/${minor}`;
  if (major === 4) return `tty${minor}`;
  return '?';
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export function processRow(pid: number, now = Date.now()): ProcessRow | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' '); // fields[0] is state (field 3)
    const ppid = Number(fields[1]);
    const ttyNr = Number(fields[4]);
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const startTicks = Number(fields[19]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    let cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
    if (!cmd) cmd = `[${stat.slice(stat.indexOf('(') + 1, close)}]`;
    const startedSec = bootTimeSec + startTicks / CLOCK_TICKS;
    const elapsed = Math.max(1, now / 1000 - startedSec);
    const started = new Date(startedSec * 1000);
    const sameDay = new Date(now).toDateString() === started.toDateString();
    return {
      uid: userName(uid), pid, ppid,
      c: Math.floor(((cpuTicks / CLOCK_TICKS) / elapsed) * 100),
      stime: sameDay ? started.toTimeString().slice(0, 5) : started.toDateString().slice(4, 10),
      tty: ttyName(ttyNr), time: clock(cpuTicks / CLOCK_TICKS), cmd,
    };
  } catch {
    return undefined; // exited between listing and reading
  }
}

export function processRows(pids: number[]): ProcessRow[] {
  const rows = pids.map((p) => processRow(p)).filter((r): r is ProcessRow => r !== undefined);
  return rows.sort((a, b) => a.pid - b.pid);
}

export const hostCpus = () => os.cpus().length;

/** moby's ContainerTop: `ps ARGS -q PIDS` (again without -q if ps refuses it), then only the rows whose PID column is the container's. */
export function psTop(pids: number[], psArgs: string[]): { titles: string[]; processes: string[][] } {
  const run = (args: string[]) => execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let output: string;
  try {
    output = run([...psArgs, '-q', pids.join(',')]);
  } catch {
    try {
      output = run(psArgs);
    } catch (err) {
      const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
      throw new EngineError(`Error running ps: ${stderr || (err as Error).message}`, 'invalid');
    }
  }
  const [header = '', ...lines] = output.split('\n');
  const titles = header.trim().split(/\s+/);
  const pidColumn = titles.indexOf('PID');
  if (pidColumn < 0) throw new EngineError("Couldn't find PID field in ps output", 'invalid');
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (!line.trim() || !wanted.has(Number(fields[pidColumn]))) continue;
    // the last column (the command) keeps its spaces
    processes.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  }
  return { titles, processes };
}
