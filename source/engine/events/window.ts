// `events --since/--until`: the journal's events in a time window; without --until the window
// stays open and new events are followed as they are journaled.
import type { EventMessage, EventsOptions } from '../api.js';
import type { EventJournal } from './journal.js';
import { readJournal } from './reader.js';

export async function* eventsInWindow(journal: EventJournal, opts: EventsOptions): AsyncGenerator<EventMessage> {
  const now = Date.now();
  const fromMs = opts.since?.getTime() ?? now;
  const untilMs = opts.until?.getTime();
  const follow = untilMs === undefined || untilMs > now;
  const stop = new AbortController();
  const abort = () => stop.abort();
  opts.signal?.addEventListener('abort', abort);
  if (opts.signal?.aborted) stop.abort();
  const timer = follow && untilMs !== undefined ? setTimeout(abort, untilMs - now) : undefined;
  try {
    for await (const message of readJournal(journal, { follow, fromEnd: opts.since === undefined, signal: stop.signal })) {
      const ms = message.timeNano / 1e6;
      if (ms < fromMs) continue;
      if (untilMs !== undefined && ms > untilMs) {
        if (follow) return;
        continue;
      }
      yield message;
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', abort);
  }
}
