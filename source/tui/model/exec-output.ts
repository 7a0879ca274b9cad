// What a typed exec printed, kept bounded (a command that floods must not fill memory) and cut
// into lines for the text overlay, control sequences made harmless.

const MAX_BYTES = 1024 * 1024;

export class OutputCollector {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private dropped = 0;

  add(chunk: Buffer): void {
    if (this.bytes >= MAX_BYTES) {
      this.dropped += chunk.length;
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `${text}\n… ${this.dropped} more bytes not kept` : text;
  }
}

/** Lines to show: tabs expanded, other control bytes (escape sequences from the container) shown as ^X. */
export function execOutputLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  // eslint-disable-next-line no-control-regex -- control bytes are what is made visible
  const shown = lines.map((line) => line.replace(/\t/g, '    ').replace(/[\x00-\x1f\x7f]/g, (c) => `^${String.fromCharCode((c.charCodeAt(0) + 64) % 128)}`));
  return shown.length === 1 && shown[0] === '' ? ['(no output)'] : shown;
}
