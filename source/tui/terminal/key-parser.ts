// Turns what the terminal sends into key presses: every key of a read counts, in order (ssh, key
// repeat and tmux send-keys deliver several per read); an escape sequence split across reads is
// put back together; a lone Esc waits ESCAPE_TIMEOUT_MS for the rest of a sequence, as vim's
// ttimeoutlen and tmux's escape-time do. Esc+key is Alt+key only when both came in one read.
import { StringDecoder } from 'node:string_decoder';
import type { KeyPress } from '../keys.js';

export const ESCAPE_TIMEOUT_MS = 40;

const ESC = '\x1b';
const PASTE_END = '\x1b[201~';

// Final byte of CSI/SS3 sequences without a number: arrows, Home/End, F1–F4, Shift-Tab.
const FINAL_NAMES: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4', Z: 'shift-tab' };
// `CSI n ~` (vt220) and the linux console's `CSI [ A`…`E` for F1–F5.
const TILDE_NAMES: Record<string, string> = {
  1: 'home', 2: 'insert', 3: 'delete', 4: 'end', 5: 'pgup', 6: 'pgdn', 7: 'home', 8: 'end',
  11: 'f1', 12: 'f2', 13: 'f3', 14: 'f4', 15: 'f5', 17: 'f6', 18: 'f7', 19: 'f8', 20: 'f9', 21: 'f10', 23: 'f11', 24: 'f12',
};
const LINUX_F_KEYS: Record<string, string> = { A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5' };

const key = (name: string, input = ''): KeyPress => ({ name, input });

/** xterm's modifier parameter (1 + shift·1 + alt·2 + ctrl·4) as a name prefix. */
function modifierPrefix(param: string | undefined): string {
  const bits = Number(param ?? 1) - 1;
  if (!(bits > 0)) return '';
  return (bits & 4 ? 'ctrl-' : '') + (bits & 2 ? 'alt-' : '') + (bits & 1 ? 'shift-' : '');
}

/** A key that is one character: controls by name, text as itself. */
function charKey(ch: string): KeyPress {
  const code = ch.codePointAt(0)!;
  if (ch === '\r' || ch === '\n') return key('enter');
  if (ch === '\t') return key('tab');
  if (code === 0x7f || code === 0x08) return key('backspace');
  if (ch === ESC) return key('esc');
  if (code === 0) return key('ctrl-space');
  if (code < 0x1b) return key(`ctrl-${String.fromCharCode(code + 0x60)}`);
  if (code < 0x20) return key(`ctrl-${String.fromCharCode(code + 0x40)}`);
  if (ch === ' ') return key('space', ' ');
  return key(ch, ch);
}

type Parsed = { press?: KeyPress; next: number; paste?: true } | 'incomplete';

/** `ESC [ params final`: arrows, Home/End, PgUp/PgDn, Delete, F-keys, with xterm modifiers. */
function parseCsi(s: string, i: number): Parsed {
  let j = i + 2;
  if (s[j] === '[') {
    if (j + 1 >= s.length) return 'incomplete';
    const name = LINUX_F_KEYS[s[j + 1]];
    return { press: name ? key(name) : undefined, next: j + 2 };
  }
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x3f) j++;
  if (j >= s.length) return 'incomplete';
  const final = s[j];
  const next = j + 1;
  if (s.charCodeAt(j) < 0x40 || s.charCodeAt(j) > 0x7e) return { press: key('alt-['), next: i + 2 };
  const params = s.slice(i + 2, j).split(';');
  if (final === '~' && params[0] === '200') return { next, paste: true };
  const base = final === '~' ? TILDE_NAMES[params[0]] : FINAL_NAMES[final];
  // Mouse reports, focus events and other answers are not keys.
  if (!base) return { next };
  if (base === 'shift-tab') return { press: key(base), next };
  return { press: key(modifierPrefix(params[1]) + base), next };
}

/** An escape sequence or Alt+key starting at `s[i]` (an ESC). */
function parseEscape(s: string, i: number): Parsed {
  if (i + 1 >= s.length) return 'incomplete';
  const introducer = s[i + 1];
  if (introducer === '[') return parseCsi(s, i);
  if (introducer === 'O') {
    if (i + 2 >= s.length) return 'incomplete';
    const name = FINAL_NAMES[s[i + 2]];
    return { press: name ? key(name) : undefined, next: i + 3 };
  }
  if (introducer === ESC) {
    // ESC ESC [A is how some terminals send Alt+arrow; ESC ESC alone is Esc twice.
    if (i + 2 >= s.length) return 'incomplete';
    if (s[i + 2] !== '[' && s[i + 2] !== 'O') return { press: key('esc'), next: i + 1 };
    const inner = parseEscape(s, i + 1);
    if (inner === 'incomplete' || !inner.press) return inner;
    return { press: key(`alt-${inner.press.name}`), next: inner.next };
  }
  const ch = String.fromCodePoint(s.codePointAt(i + 1)!);
  const after = charKey(ch);
  return { press: { ...key(`alt-${after.name}`), afterEsc: after }, next: i + 1 + ch.length };
}

/** The longest end of `s` that could be the start of `marker` (a marker split across reads). */
function partialSuffix(s: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) if (marker.startsWith(s.slice(s.length - n))) return n;
  return 0;
}

export class KeyParser {
  private readonly decoder = new StringDecoder('utf8');
  private pending = ''; // the start of an escape sequence (or of the paste's end marker)
  private pendingSince = 0;
  private paste: string | undefined; // text of a bracketed paste still arriving

  constructor(private readonly escapeTimeoutMs = ESCAPE_TIMEOUT_MS) {}

  /** The keys in one read. `now` decides whether a pending Esc timed out meanwhile. */
  push(chunk: Buffer | string, now = Date.now()): KeyPress[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: KeyPress[] = [];
    if (this.pending && this.paste === undefined) {
      // A lone Esc joins the next read only as the start of a sequence, and only in time.
      const loneEscapes = [...this.pending].every((ch) => ch === ESC);
      if (now - this.pendingSince > this.escapeTimeoutMs || (loneEscapes && text[0] !== '[' && text[0] !== 'O')) out.push(...this.flush());
    }
    const s = this.pending + text;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      if (this.paste !== undefined) {
        const end = s.indexOf(PASTE_END, i);
        if (end < 0) {
          const keep = partialSuffix(s, PASTE_END);
          this.paste += s.slice(i, s.length - keep);
          this.pending = s.slice(s.length - keep);
          return out;
        }
        out.push(key('paste', this.paste + s.slice(i, end)));
        this.paste = undefined;
        i = end + PASTE_END.length;
        continue;
      }
      if (s[i] !== ESC) {
        const ch = String.fromCodePoint(s.codePointAt(i)!);
        out.push(charKey(ch));
        i += ch.length;
        continue;
      }
      const parsed = parseEscape(s, i);
      if (parsed === 'incomplete') {
        this.pending = s.slice(i);
        this.pendingSince = now;
        return out;
      }
      if (parsed.paste) this.paste = '';
      if (parsed.press) out.push(parsed.press);
      i = parsed.next;
    }
    return out;
  }

  /** True while the start of an escape sequence waits for the rest (then call `expire` after the timeout). */
  waiting(): boolean {
    return this.pending !== '' && this.paste === undefined;
  }

  /** The keys of a pending start of a sequence, called once ESCAPE_TIMEOUT_MS passed without the rest. */
  expire(): KeyPress[] {
    return this.waiting() ? this.flush() : [];
  }

  /** A pending start of a sequence taken as the keys it is made of: Esc, then each character. */
  private flush(): KeyPress[] {
    const keys = [...this.pending].map(charKey);
    this.pending = '';
    return keys;
  }
}
