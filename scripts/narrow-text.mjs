// Characters one column wide in every terminal Ink draws to (string-width says 1 for each, and
// they never join into a wider cluster): ASCII, Latin-1 but the soft hyphen, Latin Extended and
// the IPA and spacing modifiers, general punctuation (dashes, quotes, …, ‹ ›), arrows without an
// emoji form, box drawing and blocks. Text made only of these is as wide as it is long, so the
// build lets string-width answer it without its per-grapheme segmenter (scripts/build.mjs);
// test/tui/narrow-text.test.ts holds each of them to string-width's own answer.
export const NARROW_TEXT_SOURCE = '^[\\u0020-\\u007E\\u00A0-\\u00AC\\u00AE-\\u02FF\\u2010-\\u2027\\u2030-\\u205E\\u2190-\\u2193\\u219A-\\u21A8\\u21AB-\\u21FF\\u2500-\\u259F]*$';
