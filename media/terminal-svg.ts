// Renders a headless xterm's screen as an SVG picture: text, the 16 ANSI colours, bold and
// inverse video — enough for the TUI's screenshots.
import type { Terminal } from '@xterm/headless';

const PALETTE = ['#1e1e1e', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5', '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const FG = '#d4d4d4';
const BG = '#1e1e1e';
const CELL_W = 8.4;
const CELL_H = 17;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function color(palette: boolean, rgb: boolean, value: number, fallback: string): string {
  if (palette) return value >= 0 && value < 16 ? PALETTE[value] : fallback;
  if (rgb) return `#${value.toString(16).padStart(6, '0')}`;
  return fallback;
}

export function terminalSvg(term: Terminal): string {
  const buffer = term.buffer.active;
  const parts: string[] = [];
  const cell = buffer.getNullCell();
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (!line) continue;
    // Cells of one style are drawn as one run of text: far smaller files than a glyph per cell.
    let run: { x: number; text: string; style: string; fg: string; bold: boolean; dim: boolean } | undefined;
    const flush = () => {
      if (run && run.text.trim()) {
        const weight = run.bold ? ' font-weight="bold"' : '';
        const dim = run.dim ? ' opacity="0.6"' : '';
        parts.push(`<text x="${(run.x * CELL_W).toFixed(1)}" y="${y * CELL_H + CELL_H - 4}" fill="${run.fg}"${weight}${dim} textLength="${(run.text.length * CELL_W).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escape(run.text)}</text>`);
      }
      run = undefined;
    };
    for (let x = 0; x < term.cols; x++) {
      line.getCell(x, cell);
      const ch = cell.getChars() || ' ';
      let fg = color(cell.isFgPalette() !== 0, cell.isFgRGB() !== 0, cell.getFgColor(), FG);
      let bg = color(cell.isBgPalette() !== 0, cell.isBgRGB() !== 0, cell.getBgColor(), BG);
      if (cell.isInverse()) [fg, bg] = [bg === BG ? FG : bg, fg === FG ? BG : fg];
      if (bg !== BG) parts.push(`<rect x="${(x * CELL_W).toFixed(1)}" y="${y * CELL_H}" width="${CELL_W + 0.2}" height="${CELL_H}" fill="${bg}"/>`);
      const bold = cell.isBold() !== 0;
      const dim = cell.isDim() !== 0;
      const style = `${fg}|${bold}|${dim}`;
      if (!run || run.style !== style) {
        flush();
        run = { x, text: '', style, fg, bold, dim };
      }
      run.text += ch;
    }
    flush();
  }
  const width = Math.ceil(term.cols * CELL_W);
  const height = term.rows * CELL_H;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14" xml:space="preserve">
<rect width="100%" height="100%" fill="${BG}"/>
${parts.join('\n')}
</svg>
`;
}
