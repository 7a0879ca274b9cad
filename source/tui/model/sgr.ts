// A log line's ANSI SGR escapes (colours, bold, underline, reverse…) as styled spans over its
// plain text. Parsed only for the lines on screen: a flood costs one cheap test per line, not
// a parse. Every span ends with the line, so no style can leak into the gutter or the next line.

export interface SgrStyle {
  fg?: string; // a colour Ink takes: a name ('red', 'redBright'), 'ansi256(n)' or '#rrggbb'
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

/** Characters [start, end) of the plain text drawn with `style`. */
export interface StyledSpan {
  start: number;
  end: number;
  style: SgrStyle;
}

// eslint-disable-next-line no-control-regex -- an escape sequence is what it matches
export const SGR_SEQUENCE = /\x1b\[[0-9;:]*m/g;

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const BRIGHT = BASIC.map((c) => `${c}Bright`);
/** The 16 palette colours by the names Ink (chalk) knows, index = the terminal's colour number. */
export const PALETTE_NAMES: readonly string[] = [...BASIC, ...BRIGHT];

const hex2 = (n: number) => Math.max(0, Math.min(255, n)).toString(16).padStart(2, '0');

/** The colour an extended colour code (38/48 and what follows) names, and how many parameters it took. */
function extendedColor(params: number[], at: number): { color?: string; used: number } {
  const kind = params[at + 1];
  if (kind === 5) {
    const n = params[at + 2];
    return { color: n === undefined || Number.isNaN(n) ? undefined : `ansi256(${Math.max(0, Math.min(255, n))})`, used: 3 };
  }
  if (kind === 2) {
    const [r, g, b] = params.slice(at + 2, at + 5);
    const ok = [r, g, b].every((v) => v !== undefined && !Number.isNaN(v));
    return { color: ok ? `#${hex2(r)}${hex2(g)}${hex2(b)}` : undefined, used: 5 };
  }
  return { used: 1 };
}

/** The style after one SGR sequence's parameters ('' is a reset, as `ESC[m`). */
export function applySgr(style: SgrStyle, paramText: string): SgrStyle {
  // `38:2::r:g:b` (ITU colon form, with its empty colour-space id) reads like `38;2;r;g;b`.
  const colon = paramText.replace(/([34]8):2::/g, '$1:2:').replace(/:/g, ';');
  const params = colon === '' ? [0] : colon.split(';').map((p) => (p === '' ? 0 : Number(p)));
  let next: SgrStyle = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) next = {};
    else if (p === 1) next.bold = true;
    else if (p === 2) next.dim = true;
    else if (p === 3) next.italic = true;
    else if (p === 4) next.underline = true;
    else if (p === 7) next.inverse = true;
    else if (p === 9) next.strikethrough = true;
    else if (p === 22) { delete next.bold; delete next.dim; }
    else if (p === 23) delete next.italic;
    else if (p === 24) delete next.underline;
    else if (p === 27) delete next.inverse;
    else if (p === 29) delete next.strikethrough;
    else if (p >= 30 && p <= 37) next.fg = BASIC[p - 30];
    else if (p === 39) delete next.fg;
    else if (p >= 40 && p <= 47) next.bg = BASIC[p - 40];
    else if (p === 49) delete next.bg;
    else if (p >= 90 && p <= 97) next.fg = BRIGHT[p - 90];
    else if (p >= 100 && p <= 107) next.bg = BRIGHT[p - 100];
    else if (p === 38 || p === 48) {
      const { color, used } = extendedColor(params, i);
      if (color) next[p === 38 ? 'fg' : 'bg'] = color;
      i += used - 1;
    }
  }
  return next;
}

const isPlain = (s: SgrStyle) => Object.keys(s).length === 0;

const PLAIN: SgrStyle = Object.freeze({});
// Most sequences of a coloured log are a reset or a colour set from no style: computed once.
const fromPlain = new Map<string, SgrStyle>();

function nextStyle(style: SgrStyle, paramText: string): SgrStyle {
  if (paramText === '' || paramText === '0') return PLAIN;
  if (!isPlain(style)) return applySgr(style, paramText);
  let known = fromPlain.get(paramText);
  if (!known) {
    known = Object.freeze(applySgr(PLAIN, paramText));
    if (fromPlain.size < 1024) fromPlain.set(paramText, known);
  }
  return known;
}

/**
 * The styled spans of `styled` (text with SGR sequences, nothing else), in positions of its
 * plain text, cut at `limit` characters. Unstyled stretches are left out.
 */
export function sgrSpans(styled: string, limit = Infinity): StyledSpan[] {
  const spans: StyledSpan[] = [];
  let style: SgrStyle = {};
  let plainAt = 0;
  let rawAt = 0;
  const emit = (length: number) => {
    const start = plainAt;
    const end = Math.min(limit, plainAt + length);
    if (end > start && !isPlain(style)) spans.push({ start, end, style });
    plainAt += length;
  };
  SGR_SEQUENCE.lastIndex = 0;
  for (let m = SGR_SEQUENCE.exec(styled); m && plainAt < limit; m = SGR_SEQUENCE.exec(styled)) {
    emit(m.index - rawAt);
    style = nextStyle(style, m[0].slice(2, -1));
    rawAt = m.index + m[0].length;
  }
  if (plainAt < limit) emit(styled.length - rawAt);
  return spans;
}

// A line's spans, kept while the line is: a held or slowly moving screen parses nothing again.
const parsed = new WeakMap<object, { limit: number; spans: StyledSpan[] }>();

/** sgrSpans of a log line's `styled` text up to `limit`, from the last parse when it reached that far. */
export function lineSpans(line: { styled?: string; text: string }, limit: number): StyledSpan[] {
  if (!line.styled) return [];
  const want = Math.min(limit, line.text.length);
  const known = parsed.get(line);
  if (known && known.limit >= want) return known.spans;
  const spans = sgrSpans(line.styled, want);
  parsed.set(line, { limit: want, spans });
  return spans;
}

export function stripSgr(styled: string): string {
  return styled.replace(SGR_SEQUENCE, '');
}

const NAMED_CODE: Record<string, number> = Object.fromEntries([...BASIC.map((c, i) => [c, 30 + i]), ...BRIGHT.map((c, i) => [c, 90 + i]), ['gray', 90], ['grey', 90]]);

function colorCodes(color: string, background: boolean): string | undefined {
  const named = NAMED_CODE[color];
  if (named !== undefined) return String(named + (background ? 10 : 0));
  const base = background ? 48 : 38;
  const n = /^ansi256\((\d+)\)$/.exec(color);
  if (n) return `${base};5;${n[1]}`;
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return `${base};2;${hex.slice(1).map((h) => parseInt(h, 16)).join(';')}`;
  return undefined;
}

/** The SGR sequence that turns `style` on ('' for no style); what it draws is closed with SGR_RESET. */
export function sgrOpen(style: SgrStyle): string {
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.italic) codes.push('3');
  if (style.underline) codes.push('4');
  if (style.inverse) codes.push('7');
  if (style.strikethrough) codes.push('9');
  const fg = style.fg && colorCodes(style.fg, false);
  const bg = style.bg && colorCodes(style.bg, true);
  if (fg) codes.push(fg);
  if (bg) codes.push(bg);
  return codes.length > 0 ? `\x1b[${codes.join(';')}m` : '';
}

export const SGR_RESET = '\x1b[0m';

/** Text drawn in `style`, closed again: nothing it turns on outlives it. */
export function styledText(text: string, style: SgrStyle): string {
  const open = sgrOpen(style);
  return open && text ? `${open}${text}${SGR_RESET}` : text;
}
