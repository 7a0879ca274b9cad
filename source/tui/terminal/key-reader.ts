// Reads the terminal's keys: raw mode on, every read through one KeyParser, a lone Esc handed
// on once the escape timeout passed without the rest of a sequence. Nothing else reads stdin
// while it runs (Ink's own reader starts only for useInput, which the TUI does not use).
import type { KeyPress } from '../keys.js';
import { ESCAPE_TIMEOUT_MS, KeyParser } from './key-parser.js';

export type KeyInput = Pick<NodeJS.ReadStream, 'on' | 'off' | 'resume' | 'pause' | 'isTTY'> & { setRawMode?: (raw: boolean) => unknown };

/** Starts reading keys into `onKey`, one call per key, in order; returns the function that stops. */
export function readKeys(stdin: KeyInput, onKey: (press: KeyPress) => void): () => void {
  const parser = new KeyParser();
  let timer: NodeJS.Timeout | undefined;
  const deliver = (presses: KeyPress[]) => {
    for (const press of presses) onKey(press);
  };
  const onData = (chunk: Buffer | string) => {
    clearTimeout(timer);
    timer = undefined;
    deliver(parser.push(chunk));
    if (parser.waiting()) {
      timer = setTimeout(() => {
        timer = undefined;
        deliver(parser.expire());
      }, ESCAPE_TIMEOUT_MS);
    }
  };
  if (stdin.isTTY) stdin.setRawMode?.(true);
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    clearTimeout(timer);
    stdin.off('data', onData);
    stdin.pause();
    if (stdin.isTTY) {
      try {
        stdin.setRawMode?.(false);
      } catch {
        // stdin already closed: nothing to restore
      }
    }
  };
}
