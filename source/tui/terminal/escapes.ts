// The few terminal control sequences the TUI itself writes.
export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const CLEAR_SCREEN = '\x1b[2J\x1b[H';
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
export const RESET_ATTRIBUTES = '\x1b[0m';
// A paste arrives wrapped in ESC[200~ … ESC[201~, so it is one paste and not keys.
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/** Asks the terminal to put `text` on the system clipboard (OSC 52; works over ssh and in tmux with set-clipboard). */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}
