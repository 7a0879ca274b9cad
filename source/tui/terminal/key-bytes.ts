// The bytes a terminal sends for a key press, so a key the TUI parsed can be typed into a
// shell running on a pseudo-terminal: xterm's encodings, cursor keys in the mode the program
// asked for (DECCKM), a paste bracketed when the program enabled bracketed paste.
import type { KeyPress } from '../keys.js';

export interface TerminalModes {
  applicationCursorKeys: boolean;
  bracketedPaste: boolean;
}

const ESC = '\x1b';
const CURSOR_FINALS: Record<string, string> = { up: 'A', down: 'B', right: 'C', left: 'D', home: 'H', end: 'F' };
const TILDE_CODES: Record<string, number> = {
  insert: 2, delete: 3, pgup: 5, pgdn: 6, f5: 15, f6: 17, f7: 18, f8: 19, f9: 20, f10: 21, f11: 23, f12: 24,
};
const SS3_F_KEYS: Record<string, string> = { f1: 'P', f2: 'Q', f3: 'R', f4: 'S' };
const PLAIN: Record<string, string> = { enter: '\r', tab: '\t', backspace: '\x7f', esc: ESC, space: ' ', 'shift-tab': `${ESC}[Z`, 'ctrl-space': '\x00' };

/** Modifier prefixes off a key name, as xterm's parameter (1 + shift + 2·alt + 4·ctrl). */
function splitModifiers(name: string): { base: string; param: number } {
  let base = name;
  let param = 1;
  for (;;) {
    const match = /^(ctrl|alt|shift)-(.+)$/.exec(base);
    if (!match || match[2].length === 0) break;
    param += match[1] === 'shift' ? 1 : match[1] === 'alt' ? 2 : 4;
    base = match[2];
  }
  return { base, param };
}

function controlByte(ch: string): string | undefined {
  const code = ch.toLowerCase().charCodeAt(0);
  if (ch.length === 1 && code >= 0x61 && code <= 0x7a) return String.fromCharCode(code - 0x60);
  const others: Record<string, string> = { '@': '\x00', '[': ESC, '\\': '\x1c', ']': '\x1d', '^': '\x1e', _: '\x1f' };
  return others[ch];
}

/** What to write to the pty for `press`; '' for a key with no encoding. */
export function keyBytes(press: KeyPress, modes: TerminalModes): string {
  if (press.name === 'paste') return modes.bracketedPaste ? `${ESC}[200~${press.input}${ESC}[201~` : press.input;
  if (PLAIN[press.name] !== undefined) return PLAIN[press.name];
  if (press.input && !press.name.includes('-')) return press.input;
  if (press.input && press.name.length === 1) return press.input;
  const { base, param } = splitModifiers(press.name);
  const final = CURSOR_FINALS[base];
  if (final) {
    if (param > 1) return `${ESC}[1;${param}${final}`;
    return `${ESC}${modes.applicationCursorKeys ? 'O' : '['}${final}`;
  }
  const tilde = TILDE_CODES[base];
  if (tilde !== undefined) return param > 1 ? `${ESC}[${tilde};${param}~` : `${ESC}[${tilde}~`;
  const ss3 = SS3_F_KEYS[base];
  if (ss3) return param > 1 ? `${ESC}[1;${param}${ss3}` : `${ESC}O${ss3}`;
  // Ctrl and Alt with a character: a control byte, ESC before it for Alt.
  const ctrl = (param - 1) & 4;
  const alt = (param - 1) & 2;
  let text = PLAIN[base] ?? ([...base].length === 1 ? base : '');
  if (!text) return '';
  if (ctrl) {
    const byte = controlByte(text);
    if (byte === undefined) return '';
    text = byte;
  }
  return alt ? ESC + text : text;
}
