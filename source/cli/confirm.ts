// docker's "Are you sure you want to continue? [y/N]": one line from stdin, yes only for y/yes.
import type { CliContext } from './context.js';

/** One line from stdin; '' at end of input (docker treats that as "no"). */
export function readLine(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) finish(text.slice(0, nl));
    };
    const finish = (line: string) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      resolve(line);
    };
    const onEnd = () => finish(text);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}

/** Prints the warning and the question; true when the user answers y or yes. */
export async function confirm(ctx: CliContext, warning: string): Promise<boolean> {
  ctx.stdout.write(`${warning}\nAre you sure you want to continue? [y/N] `);
  return /^y(es)?$/i.test((await readLine(ctx.stdin)).trim());
}
