// docker's detach keys on an attached stdin (default ctrl-p ctrl-q): the sequence is held back
// while it might be one, and detaches instead of reaching the container when it completes.
import { Transform } from 'node:stream';

export const DEFAULT_DETACH_KEYS = [0x10, 0x11];

/** "ctrl-p,ctrl-q" → bytes; docker's syntax: a letter, or ctrl-a…ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_. */
export function parseDetachKeys(text: string): number[] | undefined {
  const keys: number[] = [];
  for (const part of text.split(',')) {
    const ctrl = /^ctrl-(.)$/.exec(part);
    if (ctrl) {
      const c = ctrl[1].toLowerCase();
      if (c >= 'a' && c <= 'z') keys.push(c.charCodeAt(0) - 96);
      else if ('@[\\]^_'.includes(c)) keys.push('@[\\]^_'.indexOf(c) === 0 ? 0 : 27 + '[\\]^_'.indexOf(c));
      else return undefined;
    } else if (part.length === 1) keys.push(part.charCodeAt(0));
    else return undefined;
  }
  return keys.length ? keys : undefined;
}

export function detachFilter(keys: number[], onDetach: () => void): Transform {
  let matched = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out: number[] = [];
      for (const byte of chunk) {
        if (byte === keys[matched]) {
          matched++;
          if (matched === keys.length) {
            matched = 0;
            if (out.length) this.push(Buffer.from(out));
            onDetach();
            return done();
          }
          continue;
        }
        if (matched) out.push(...keys.slice(0, matched));
        matched = byte === keys[0] ? 1 : 0;
        if (!matched) out.push(byte);
      }
      done(null, out.length ? Buffer.from(out) : undefined);
    },
  });
}
