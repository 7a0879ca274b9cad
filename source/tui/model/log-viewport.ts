// Where the logs pane looks, as data: at the end (following), or held on a line by its
// sequence number, so that neither new lines nor the ring buffer dropping old ones move it —
// `less` without F. The lines on screen are kept with the position: once the buffer has
// dropped them they are still shown (and the window says so) until the view moves on.
import type { LogBuffer, LogLine } from './log-buffer.js';
import { indexAtOrAfter, rowsFor, viewSeqs } from './log-view.js';
import type { TextMatcher } from './text-search.js';

export interface Viewport {
  follow: boolean;
  topSeq: number; // the first line on screen while not following
  held: readonly LogLine[]; // the lines on screen when the view was placed
  frozenAtSeq: number; // the newest line when following stopped: those after it are "new"
}

export const FOLLOWING: Viewport = { follow: true, topSeq: 0, held: [], frozenAtSeq: -1 };

export interface ScreenSize {
  height: number;
  width: number;
  wrap: boolean;
  prefixWidth: number;
}

export interface LogWindow {
  /** Every line the view can reach, oldest first: held lines the buffer dropped, then the buffer's (all, or those the filter keeps). */
  seqs: number[];
  top: number; // index in seqs of the first line on screen
  bottom: number; // … and of the last (top - 1 when there is none)
  lines: LogLine[];
  /** Not following, and the buffer has dropped the top line since: what is shown is what was held. */
  topDropped: boolean;
  /** Lines that came after following stopped. */
  newLines: number;
  line(seq: number): LogLine | undefined;
}

function rowsOf(line: LogLine, size: ScreenSize): number {
  return size.wrap ? rowsFor(line.text, size.width - size.prefixWidth) : 1;
}

/** The lines from index `top` on that fit the screen (at least one). */
function linesFrom(line: (seq: number) => LogLine | undefined, seqs: number[], top: number, size: ScreenSize): LogLine[] {
  const out: LogLine[] = [];
  let rows = 0;
  for (let i = Math.max(0, top); i < seqs.length && rows < size.height; i++) {
    const l = line(seqs[i]);
    if (!l) continue;
    const need = rowsOf(l, size);
    if (rows + need > size.height && out.length > 0) break;
    rows += need;
    out.push(l);
  }
  return out;
}

/** The top index whose screen ends with the last line: the furthest down the view can be placed. */
function lastTop(line: (seq: number) => LogLine | undefined, seqs: number[], size: ScreenSize): number {
  let rows = 0;
  for (let i = seqs.length - 1; i >= 0; i--) {
    const l = line(seqs[i]);
    const need = l ? rowsOf(l, size) : 1;
    if (rows + need > size.height && i < seqs.length - 1) return i + 1;
    rows += need;
  }
  return 0;
}

export function logWindow(buffer: LogBuffer, filter: TextMatcher | undefined, viewport: Viewport, size: ScreenSize): LogWindow {
  const dropped = viewport.follow ? [] : viewport.held.filter((l) => l.seq < buffer.firstSeq && l.seq >= viewport.topSeq);
  // Lines the buffer no longer has but this window knows: the held ones, and once drawn, those
  // on screen (a fast log fills the buffer in place between a frame and the key read on it).
  const known = new Map(dropped.map((l) => [l.seq, l]));
  const line = (seq: number) => buffer.bySeq(seq) ?? known.get(seq);
  const seqs = [...dropped.map((l) => l.seq), ...viewSeqs(buffer, filter)];
  const top = viewport.follow ? lastTop(line, seqs, size) : Math.min(indexAtOrAfter(seqs, viewport.topSeq), Math.max(0, seqs.length - 1));
  const lines = linesFrom(line, seqs, top, size);
  for (const l of lines) known.set(l.seq, l);
  return {
    seqs, top, bottom: top + lines.length - 1, lines, line,
    topDropped: !viewport.follow && viewport.topSeq < buffer.firstSeq,
    newLines: viewport.follow ? 0 : Math.max(0, buffer.lastSeq - viewport.frozenAtSeq),
  };
}

/** The view held with the line at `index` of the window on top (kept within what there is to show). */
export function placeTop(buffer: LogBuffer, window: LogWindow, viewport: Viewport, index: number, size: ScreenSize): Viewport {
  const frozenAtSeq = viewport.follow ? buffer.lastSeq : viewport.frozenAtSeq;
  if (window.seqs.length === 0) return { follow: false, topSeq: buffer.lastSeq + 1, held: [], frozenAtSeq };
  const top = Math.max(0, Math.min(index, lastTop(window.line, window.seqs, size)));
  return { follow: false, topSeq: window.seqs[top], held: linesFrom(window.line, window.seqs, top, size), frozenAtSeq };
}

/** Stops following where the view is now. */
export function freeze(buffer: LogBuffer, window: LogWindow, viewport: Viewport, size: ScreenSize): Viewport {
  return viewport.follow ? placeTop(buffer, window, viewport, window.top, size) : viewport;
}

/** The view held with the line at `index` of the window mid-screen (a search match, with the lines around it). */
export function centerOn(buffer: LogBuffer, window: LogWindow, viewport: Viewport, index: number, size: ScreenSize): Viewport {
  return placeTop(buffer, window, viewport, index - Math.floor(size.height / 2), size);
}
