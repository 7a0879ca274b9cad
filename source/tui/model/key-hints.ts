// The status bar's key hints at a width: all of them as written when they fit, else each
// help cut to its first word, else as many as fit with `? help` kept last (help lists the rest).
export interface KeyHint {
  keys: string;
  help: string;
}

const GAP = 2;

function widthOf(hints: readonly KeyHint[]): number {
  return hints.reduce((sum, h, i) => sum + (i > 0 ? GAP : 0) + h.keys.length + 1 + h.help.length, 0);
}

function shortHelp(help: string): string {
  return help.split(/[ /]/)[0].replace(/[;:,.]+$/, '');
}

export function fitHints(hints: readonly KeyHint[], width: number): KeyHint[] {
  if (widthOf(hints) <= width) return [...hints];
  const short = hints.map((h) => ({ keys: h.keys, help: shortHelp(h.help) }));
  if (widthOf(short) <= width) return short;
  const help = short.find((h) => h.keys === '?');
  const rest = short.filter((h) => h !== help);
  const kept: KeyHint[] = [];
  for (const h of rest) {
    if (widthOf([...kept, h, ...(help ? [help] : [])]) > width) break;
    kept.push(h);
  }
  return help ? [...kept, help] : kept;
}
