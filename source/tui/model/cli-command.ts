// The `strata …` command line equivalent to an action taken in the TUI, for the command log.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function cliCommand(...words: string[]): string {
  return ['strata', ...words].map(shellQuote).join(' ');
}
