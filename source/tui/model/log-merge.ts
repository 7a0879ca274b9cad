// Several containers' log histories as one, ordered by time: a k-way merge of lists that are
// each in time order already, stable (equal times keep the order of the lists, then of the lines).
import type { LogEntry } from '../../engine/api.js';

/** An RFC3339Nano time as [milliseconds since the epoch of its whole second, nanoseconds]: Date.parse alone drops the nanoseconds. */
export function timeKey(time: string): [number, number] {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/i.exec(time);
  if (!m) return [Date.parse(time), 0];
  return [Date.parse(m[1] + m[3]), Number((m[2] ?? '').padEnd(9, '0').slice(0, 9))];
}

function before(a: [number, number], b: [number, number]): boolean {
  // A time that does not parse sorts as equal to everything: it stays where its list had it.
  if (Number.isNaN(a[0]) || Number.isNaN(b[0])) return false;
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export function mergeByTime<T extends Pick<LogEntry, 'time'>>(lists: ReadonlyArray<readonly T[]>): T[] {
  const keys = lists.map((list) => list.map((entry) => timeKey(entry.time)));
  const next = lists.map(() => 0);
  const out: T[] = [];
  for (;;) {
    let pick = -1;
    for (let i = 0; i < lists.length; i++) {
      if (next[i] >= lists[i].length) continue;
      if (pick === -1 || before(keys[i][next[i]], keys[pick][next[pick]])) pick = i;
    }
    if (pick === -1) return out;
    out.push(lists[pick][next[pick]++]);
  }
}
