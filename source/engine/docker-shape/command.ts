// The COMMAND column of `ps`: quoted, and cut to 20 characters with an ellipsis unless --no-trunc.
export function ellipsis(text: string, max: number): string {
  if (text.length <= max) return text; // never more code points than UTF-16 units
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, max).join('');
  return chars.slice(0, max - 1).join('') + '…';
}

// Go's strconv.Quote for the printable text a command line holds.
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

export function psCommand(command: string, noTrunc: boolean): string {
  return goQuote(noTrunc ? command : ellipsis(command, 20));
}

export function shortId(id: string): string {
  return (id.startsWith('sha256:') ? id.slice(7) : id).slice(0, 12);
}
