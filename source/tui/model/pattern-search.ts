// The logs pane's `/` search and `&` filter: a regular expression with smart case, as less -i
// and vim's 'smartcase' (and ripgrep's -S): an all-lower-case pattern ignores case, any capital
// letter makes it exact. Escapes such as \S or \W are not capitals of the text and do not count.
import type { MatchRange, TextMatcher } from './text-search.js';

export interface PatternMatcher extends TextMatcher {
  caseSensitive: boolean;
}

export type PatternResult = { matcher?: PatternMatcher; error?: undefined } | { matcher?: undefined; error: string };

/** Whether a pattern asks for exact case: a capital outside an escape. */
export function hasCapital(pattern: string): boolean {
  const literal = pattern.replace(/\\(?:[pPk]\{[^}]*\}|c[A-Za-z]|.)/g, '');
  return literal !== literal.toLowerCase();
}

/** The matcher for `pattern` (none for ''), or one line saying why it is not a valid expression. */
export function patternMatcher(pattern: string): PatternResult {
  if (pattern === '') return {};
  const caseSensitive = hasCapital(pattern);
  let all: RegExp;
  let one: RegExp;
  try {
    all = new RegExp(pattern, caseSensitive ? 'g' : 'gi');
    one = new RegExp(pattern, caseSensitive ? '' : 'i');
  } catch (error) {
    const why = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return { error: `invalid pattern ${pattern}: ${why.charAt(0).toLowerCase()}${why.slice(1)}` };
  }
  return {
    matcher: {
      query: pattern,
      caseSensitive,
      test: (text) => one.test(text),
      ranges(text) {
        const out: MatchRange[] = [];
        all.lastIndex = 0;
        for (let m = all.exec(text); m; m = all.exec(text)) {
          if (m[0].length === 0) {
            all.lastIndex++; // an empty match highlights nothing; step past it
            continue;
          }
          out.push({ start: m.index, end: m.index + m[0].length });
        }
        return out;
      },
    },
  };
}
