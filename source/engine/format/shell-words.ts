// Splits a line into words as a POSIX shell would for the simple cases: whitespace separates,
// single and double quotes group, backslash escapes. Used for command lines typed in a form
// and for the words of Dockerfile/`--change` instructions.
export interface ShellWordsOptions {
  // a form refuses `echo 'oops`; a Dockerfile word keeps what it has, as docker's does
  strict?: boolean;
}

export function shellWords(line: string, { strict = true }: ShellWordsOptions = {}): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote && strict) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}
