// A file's preview lines: `hexdump -C` style for binary data (8 bytes a line on narrow screens),
// cleaned-up text otherwise.
import type { LayerFileContent } from '../../engine/api.js';
import { printable } from './file-tree-rows.js';

export function hexLines(data: Buffer, bytesPerLine = 16): string[] {
  const lines: string[] = [];
  for (let at = 0; at < data.length; at += bytesPerLine) {
    const chunk = data.subarray(at, at + bytesPerLine);
    const hex = [...chunk].map((b) => b.toString(16).padStart(2, '0'));
    const groups: string[] = [];
    for (let g = 0; g < bytesPerLine; g += 8) groups.push(hex.slice(g, g + 8).join(' ').padEnd(23));
    const text = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${groups.join('  ')}  |${text}|`);
  }
  return lines;
}

/** Text → lines with tabs expanded and control characters made visible, so the screen is never garbled. A newline ends a line (as wc -l counts): it starts no new one. */
export function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return lines.map((line) => line.replace(/\t/g, '    ').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '.'));
}

/** 16 bytes a line when the hex dump fits the width, else 8. */
export function hexBytesPerLine(width: number): number {
  return width >= 78 ? 16 : 8;
}

/** A layer file's preview lines: the link of a symlink, a hex dump of binary data, else its text. */
export function previewLines(content: LayerFileContent, width: number): string[] {
  if (content.kind === 'symlink') return [`symbolic link → ${printable(content.link ?? '')}`];
  return content.binary ? hexLines(content.data, hexBytesPerLine(width)) : textLines(content.data.toString('utf8'));
}
