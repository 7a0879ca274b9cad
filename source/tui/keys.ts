// One key press as the handlers see it: a name per key ('a', 'G', 'enter', 'ctrl-c', 'shift-tab',
// 'alt-x', 'ctrl-up', 'f5', 'paste') so bindings are plain strings, and the text it types.
export interface KeyPress {
  name: string;
  /** The text the key types ('' for keys that type nothing); a paste's whole text. */
  input: string;
  /** An Alt chord read as Esc then a key in one read: that key. A slow reader gets a quick Esc and
   *  the next key in one read too, so a chord nothing binds is taken as those two keys. */
  afterEsc?: KeyPress;
}
