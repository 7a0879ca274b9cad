// What a terminal emulator's screen holds, as rows of styled text for Ink: the shell pane's
// content. Reads an xterm buffer (the viewport the user scrolled to), merges cells of one
// style into one segment, and marks the cursor when the view is at the bottom.
import type xterm from '@xterm/headless';
import { PALETTE_NAMES, type SgrStyle } from './sgr.js';

export type CellStyle = Omit<SgrStyle, 'strikethrough'>;

export interface Segment extends CellStyle {
  text: string;
}

export type TerminalRow = Segment[];

function colour(isRgb: boolean, isPalette: boolean, value: number): string | undefined {
  if (isRgb) return `#${value.toString(16).padStart(6, '0')}`;
  if (isPalette) return value < 16 ? PALETTE_NAMES[value] : `ansi256(${value})`;
  return undefined;
}

function styleOf(cell: xterm.IBufferCell): CellStyle {
  const style: CellStyle = {};
  const fg = colour(cell.isFgRGB(), cell.isFgPalette(), cell.getFgColor());
  const bg = colour(cell.isBgRGB(), cell.isBgPalette(), cell.getBgColor());
  if (fg) style.fg = fg;
  if (bg) style.bg = bg;
  if (cell.isBold()) style.bold = true;
  if (cell.isDim()) style.dim = true;
  if (cell.isItalic()) style.italic = true;
  if (cell.isUnderline()) style.underline = true;
  if (cell.isInverse()) style.inverse = true;
  return style;
}

function sameStyle(a: CellStyle, b: CellStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline && a.inverse === b.inverse;
}

const isPlain = (s: CellStyle) => !s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse;

/** One buffer line as segments, `cursorX` drawn inverse; trailing unstyled blanks dropped. */
export function lineSegments(line: xterm.IBufferLine | undefined, cols: number, cell: xterm.IBufferCell, cursorX?: number): TerminalRow {
  const row: TerminalRow = [];
  if (!line) return cursorX === undefined ? row : [{ text: ' '.repeat(cursorX) }, { text: ' ', inverse: true }];
  for (let x = 0; x < cols; x++) {
    line.getCell(x, cell);
    const width = cell.getWidth();
    if (width === 0) continue; // the right half of a wide character
    const style = styleOf(cell);
    if (x === cursorX) style.inverse = !style.inverse;
    const text = cell.getChars() || ' ';
    const last = row[row.length - 1];
    if (last && sameStyle(last, style)) last.text += text;
    else row.push({ ...style, text });
  }
  // Blank cells at the end cost a redraw and can wrap a narrow pane: keep them only when styled.
  while (row.length > 0) {
    const last = row[row.length - 1];
    if (!isPlain(last)) break;
    const trimmed = last.text.replace(/ +$/, '');
    if (trimmed) {
      last.text = trimmed;
      break;
    }
    row.pop();
  }
  return row;
}

/** The rows on screen: the viewport the user scrolled to, the cursor shown when at the bottom. */
export function visibleRows(term: xterm.Terminal, showCursor: boolean): TerminalRow[] {
  const buffer = term.buffer.active;
  const cell = buffer.getNullCell();
  const atBottom = buffer.viewportY === buffer.baseY;
  const rows: TerminalRow[] = [];
  for (let y = 0; y < term.rows; y++) {
    const cursorX = showCursor && atBottom && y === buffer.cursorY ? buffer.cursorX : undefined;
    rows.push(lineSegments(buffer.getLine(buffer.viewportY + y), term.cols, cell, cursorX));
  }
  return rows;
}

/** How far the view is scrolled back from the bottom, in lines (0: following the output). */
export function scrolledBack(term: xterm.Terminal): number {
  const buffer = term.buffer.active;
  return buffer.baseY - buffer.viewportY;
}
